/// Makes record text safe to print on a terminal: the one escaper every renderer of `spanlog`
/// uses (`--pretty`, the waterfall, `stats`, raw JSON lines, warnings).
///
/// A log line is outside input: a C0 control (ESC starts a sequence, CR rewrites the line), DEL,
/// or a C1 control (U+0080–U+009F: U+009B is a one-character CSI, U+009D an OSC that can set the
/// window title or write the clipboard) must never reach the terminal as itself. Invalid UTF-8
/// (a raw `0x9B` byte) was already turned into U+FFFD when the line was decoded.
///
/// ```swift
/// TerminalText.escaped("a\u{1B}[2Jb\u{9B}c")          // a\u{1b}[2Jb\u{9b}c
/// TerminalText.escapedJSONLine("{\"m\":\"\u{9D}0;x\"}")  // {"m":"\u009d0;x"}
/// ```
package enum TerminalText {
    /// Whether a character must not be printed as itself: C0 controls, DEL, C1 controls, and
    /// the Unicode line and paragraph separators.
    @inline(__always)
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
    }

    /// `text` on one line with every control character written visibly: `\n`, `\r`, `\t`, and
    /// `\u{…}` (hex) for the others.
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: Self.isControl) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if Self.isControl(scalar) {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// A JSON line (or any line) with its control characters escaped so that it stays the same
    /// JSON: inside a string, as `\u00XX` escapes (RFC 8259; the value is unchanged); outside,
    /// where only whitespace may be, tab and CR become spaces and anything else a `\u00XX` (the
    /// line was not valid JSON anyway). Lines without control characters are returned as is.
    package static func escapedJSONLine(_ line: String) -> String {
        guard line.unicodeScalars.contains(where: Self.isControl) else { return line }
        var result = ""
        result.reserveCapacity(line.utf8.count + 16)
        var inString = false
        var escapedNext = false
        for scalar in line.unicodeScalars {
            if Self.isControl(scalar) {
                escapedNext = false
                if !inString, scalar == "\t" || scalar == "\r" {
                    result += " "
                } else {
                    result += Self.jsonEscape(scalar.value)
                }
                continue
            }
            result.unicodeScalars.append(scalar)
            if escapedNext {
                escapedNext = false
            } else if inString, scalar == "\\" {
                escapedNext = true
            } else if scalar == "\"" {
                inString.toggle()
            }
        }
        return result
    }

    private static func jsonEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
