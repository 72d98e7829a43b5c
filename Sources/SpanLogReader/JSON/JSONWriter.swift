/// Writes a ``JSONValue`` back as compact JSON.
///
/// `<`, `>`, `&`, U+2028 and U+2029 are always escaped, so the output can be embedded in an HTML
/// `<script>` element or a JavaScript string as is; so are every control character, DEL and the
/// C1 controls (U+0080–U+009F), so it can be printed on a terminal as is.
///
/// ```swift
/// JSONWriter.string(.object(JSONObject([.init(key: "a", value: .string("</script>"))])))
/// // {"a":"\u003c/script\u003e"}
/// ```
package enum JSONWriter {
    /// The compact JSON text of `value`.
    package static func string(_ value: JSONValue) -> String {
        var output = ""
        Self.write(value, to: &output)
        return output
    }

    /// Appends the compact JSON text of `value` to `output`.
    package static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let text): output += text
        case .string(let text): Self.writeString(text, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                Self.write(element, to: &output)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (index, member) in object.members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.key, to: &output)
                output += ":"
                Self.write(member.value, to: &output)
            }
            output += "}"
        }
    }

    /// Appends `text` as a JSON string literal.
    package static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}", "\u{7F}":
                output += Self.unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 || (0x80...0x9F).contains(scalar.value) {
                    output += Self.unicodeEscape(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
