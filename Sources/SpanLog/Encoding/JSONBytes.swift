import Logging

/// 1 for the bytes the escaper must look at: C0 controls, `"`, `\`, DEL, and the lead bytes of
/// U+2028/U+2029 (E2) and U+FEFF (EF); 0 for every byte copied as it is.
nonisolated(unsafe) private let jsonAttentionTable: UnsafePointer<UInt8> = {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for byte in 0..<256 {
        table[byte] = (byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2 || byte == 0xEF) ? 1 : 0
    }
    return UnsafePointer(table)
}()

/// Byte-level JSON writing (RFC 8259) into a reused buffer, without Foundation.
extension RecordBuffer {
    /// Appends `string` as a JSON string literal, quotes included.
    public mutating func appendJSONString(_ string: String) {
        self.append(UInt8(ascii: "\""))
        self.appendJSONEscaped(string)
        self.append(UInt8(ascii: "\""))
    }

    /// Appends the JSON-escaped contents of `string` without quotes (public for custom encoders).
    ///
    /// Every C0 control character, `"`, `\`, DEL and U+2028/U+2029 are escaped, so no value can
    /// end a record early; U+FEFF is escaped too, since some JSON readers drop it at the start of
    /// a string as if it were a byte-order mark.
    public mutating func appendJSONEscaped(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            self.appendJSONEscaped(utf8)
        }
    }

    mutating func appendJSONEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = 0
        let count = utf8.count
        let attention = jsonAttentionTable
        while index < count {
            let byte = utf8[index]
            if attention[Int(byte)] == 0 {
                index &+= 1
                continue
            }
            if byte == 0xE2 || byte == 0xEF {
                // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) are legal in JSON but line breaks to
                // JavaScript and some line readers; U+FEFF (EF BB BF) is invisible and eaten by
                // some parsers. All three are written as \u escapes.
                let escape: [UInt8]?
                if index + 2 < count, byte == 0xE2, utf8[index + 1] == 0x80, utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9 {
                    escape = utf8[index + 2] == 0xA8 ? Self.escapedLineSeparator : Self.escapedParagraphSeparator
                } else if index + 2 < count, byte == 0xEF, utf8[index + 1] == 0xBB, utf8[index + 2] == 0xBF {
                    escape = Self.escapedByteOrderMark
                } else {
                    escape = nil
                }
                if let escape {
                    self.append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    escape.withUnsafeBufferPointer { self.append($0) }
                    index &+= 3
                    runStart = index
                } else {
                    index &+= 1
                }
                continue
            }
            self.append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            switch byte {
            case 0x22: self.append(UInt8(ascii: "\\")); self.append(0x22)
            case 0x5C: self.append(UInt8(ascii: "\\")); self.append(0x5C)
            case 0x0A: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "n"))
            case 0x0D: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "r"))
            case 0x09: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "t"))
            case 0x08: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "b"))
            case 0x0C: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "f"))
            default:
                self.append(UInt8(ascii: "\\"))
                self.append(UInt8(ascii: "u"))
                self.append(UInt8(ascii: "0"))
                self.append(UInt8(ascii: "0"))
                HexDigits.append(byte: byte, to: &self)
            }
            index &+= 1
            runStart = index
        }
        self.append(UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
    }

    static let escapedLineSeparator: [UInt8] = Array("\\u2028".utf8)
    static let escapedParagraphSeparator: [UInt8] = Array("\\u2029".utf8)
    static let escapedByteOrderMark: [UInt8] = Array("\\ufeff".utf8)

    /// Appends `"key":` with the key escaped.
    mutating func appendJSONKey(_ key: String) {
        self.appendJSONString(key)
        self.append(UInt8(ascii: ":"))
    }

    /// Appends a signed integer in decimal.
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            self.append(UInt8(ascii: "-"))
            self.appendDecimal(UInt64(bitPattern: 0 &- value))
        } else {
            self.appendDecimal(UInt64(value))
        }
    }

    /// Appends an unsigned integer in decimal.
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            self.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digitCount = 0
        var probe = value
        while probe > 0 {
            digitCount += 1
            probe /= 10
        }
        self.appendInPlace(maximum: digitCount) { out in
            var remaining = value
            var index = digitCount - 1
            while index >= 0 {
                out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
                index -= 1
            }
            return digitCount
        }
    }

    /// Appends a JSON number for a finite double, or a JSON string for NaN and infinities (JSON
    /// has no literal for them).
    mutating func appendJSONNumber(_ value: Double) {
        if value.isFinite {
            if value == value.rounded(.towardZero), abs(value) < 1e15 {
                self.appendDecimal(Int64(value))
            } else {
                self.append(utf8: value.description)
            }
        } else {
            self.appendJSONString(value.description)
        }
    }

    /// Appends a metadata value: strings as strings, integers, floating-point numbers and booleans
    /// given as `.stringConvertible` as JSON numbers and booleans, dictionaries as objects and
    /// arrays as arrays.
    mutating func appendJSONValue(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let string):
            self.appendJSONString(string)
        case .stringConvertible(let convertible):
            self.appendJSONConvertible(convertible)
        case .dictionary(let dictionary):
            self.append(UInt8(ascii: "{"))
            var first = true
            for (key, nested) in dictionary {
                if !first { self.append(UInt8(ascii: ",")) }
                first = false
                self.appendJSONKey(key)
                self.appendJSONValue(nested)
            }
            self.append(UInt8(ascii: "}"))
        case .array(let values):
            self.append(UInt8(ascii: "["))
            var first = true
            for nested in values {
                if !first { self.append(UInt8(ascii: ",")) }
                first = false
                self.appendJSONValue(nested)
            }
            self.append(UInt8(ascii: "]"))
        }
    }

    mutating func appendJSONConvertible(_ value: any CustomStringConvertible & Sendable) {
        switch value {
        case let bool as Bool: bool ? self.appendRaw("true") : self.appendRaw("false")
        case let int as Int: self.appendDecimal(Int64(int))
        case let int as Int64: self.appendDecimal(int)
        case let int as Int32: self.appendDecimal(Int64(int))
        case let int as UInt: self.appendDecimal(UInt64(int))
        case let int as UInt64: self.appendDecimal(int)
        case let int as UInt32: self.appendDecimal(UInt64(int))
        case let double as Double: self.appendJSONNumber(double)
        case let float as Float: self.appendJSONNumber(Double(float))
        default: self.appendJSONString(value.description)
        }
    }
}
