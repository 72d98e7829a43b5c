/// What the text encoder writes goes to terminals, where control characters are commands: C0
/// controls and DEL are already `\u` escapes (the JSON escaper's work); this pass escapes the C1
/// controls (U+0080–U+009F: U+009B is a CSI, U+009D an OSC to an 8-bit terminal) the same way.
///
/// ```swift
/// let start = buffer.count
/// buffer.appendJSONEscaped("red \u{9B}31m")
/// buffer.escapeC1Controls(from: start)   // red \u009b31m
/// ```
extension RecordBuffer {
    /// Rewrites the C1 controls among the bytes written since `start` as `\u0080`…`\u009f`.
    mutating func escapeC1Controls(from start: Int) {
        // UTF-8 writes U+0080–U+009F as C2 80 … C2 9F; most lines have no C2 byte at all.
        let escapedTail: [UInt8]? = self.withUnsafeBytes { bytes in
            let line = UnsafeRawBufferPointer(rebasing: bytes[start...])
            guard Self.firstC1Control(in: line, from: 0) != nil else { return nil }
            var tail: [UInt8] = []
            tail.reserveCapacity(line.count + 12)
            var runStart = 0
            while let found = Self.firstC1Control(in: line, from: runStart) {
                tail.append(contentsOf: line[runStart..<found])
                tail.append(contentsOf: "\\u00".utf8)
                let code = line[found + 1]
                tail.append(HexDigits.digit(code >> 4))
                tail.append(HexDigits.digit(code & 0x0F))
                runStart = found + 2
            }
            tail.append(contentsOf: line[runStart...])
            return tail
        }
        guard let escapedTail else { return }
        self.truncate(to: start)
        escapedTail.withUnsafeBufferPointer { self.append($0) }
    }

    /// The offset of the next C1 control's lead byte at or after `offset`.
    private static func firstC1Control(in line: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        var index = offset
        while index + 1 < line.count {
            if line[index] == 0xC2, line[index + 1] & 0xE0 == 0x80 { return index }
            index += 1
        }
        return nil
    }
}
