/// A small, bounded JSON parser for the few JSON answers the exporter reads (an OTLP/JSON
/// export response): values only, numbers kept as their text, nesting limited, no recursion
/// past the limit. Malformed input gives `nil` and a ``problem``; it never traps.
///
/// ```swift
/// var parser = MiniJSON(Array(#"{"partialSuccess":{"rejectedSpans":"2"}}"#.utf8), depthLimit: 16)
/// let value = parser.parseDocument()   // .object([("partialSuccess", .object([("rejectedSpans", .string("2"))]))])
/// ```
struct MiniJSON {
    indirect enum Value: Sendable, Equatable {
        case object([(String, Value)])
        case array([Value])
        case string(String)
        /// The number as written.
        case number(String)
        case bool(Bool)
        case null

        static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.object(let a), .object(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            case (.array(let a), .array(let b)): return a == b
            case (.string(let a), .string(let b)), (.number(let a), .number(let b)): return a == b
            case (.bool(let a), .bool(let b)): return a == b
            case (.null, .null): return true
            default: return false
            }
        }
    }

    private let bytes: [UInt8]
    private var index = 0
    private let depthLimit: Int
    /// Why parsing failed.
    private(set) var problem: String?

    init(_ bytes: [UInt8], depthLimit: Int) {
        self.bytes = bytes
        self.depthLimit = depthLimit
    }

    /// One value and nothing after it but white space.
    mutating func parseDocument() -> Value? {
        guard let value = self.value(depth: 0) else { return nil }
        self.skipSpace()
        guard self.index == self.bytes.count else { return self.fail("text after the value") }
        return value
    }

    private mutating func fail(_ problem: String) -> Value? {
        if self.problem == nil { self.problem = "\(problem) at byte \(self.index)" }
        return nil
    }

    private mutating func skipSpace() {
        while self.index < self.bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(self.bytes[self.index]) { self.index += 1 }
    }

    private mutating func value(depth: Int) -> Value? {
        guard depth < self.depthLimit else { return self.fail("nesting deeper than \(self.depthLimit)") }
        self.skipSpace()
        guard self.index < self.bytes.count else { return self.fail("end of input") }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"):
            self.index += 1
            var members: [(String, Value)] = []
            self.skipSpace()
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "}") {
                self.index += 1
                return .object(members)
            }
            while true {
                self.skipSpace()
                guard case .string(let key)? = self.string() else { return self.fail("an object key that is not a string") }
                self.skipSpace()
                guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ":") else { return self.fail("no ':'") }
                self.index += 1
                guard let member = self.value(depth: depth + 1) else { return nil }
                members.append((key, member))
                self.skipSpace()
                guard self.index < self.bytes.count else { return self.fail("end of input") }
                if self.bytes[self.index] == UInt8(ascii: ",") { self.index += 1; continue }
                if self.bytes[self.index] == UInt8(ascii: "}") { self.index += 1; return .object(members) }
                return self.fail("no ',' or '}'")
            }
        case UInt8(ascii: "["):
            self.index += 1
            var items: [Value] = []
            self.skipSpace()
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "]") {
                self.index += 1
                return .array(items)
            }
            while true {
                guard let item = self.value(depth: depth + 1) else { return nil }
                items.append(item)
                self.skipSpace()
                guard self.index < self.bytes.count else { return self.fail("end of input") }
                if self.bytes[self.index] == UInt8(ascii: ",") { self.index += 1; continue }
                if self.bytes[self.index] == UInt8(ascii: "]") { self.index += 1; return .array(items) }
                return self.fail("no ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return self.string()
        case UInt8(ascii: "t"): return self.literal("true", .bool(true))
        case UInt8(ascii: "f"): return self.literal("false", .bool(false))
        case UInt8(ascii: "n"): return self.literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = self.index
            while self.index < self.bytes.count,
                "+-.eE0123456789".utf8.contains(self.bytes[self.index])
            {
                self.index += 1
            }
            return .number(String(decoding: self.bytes[start..<self.index], as: UTF8.self))
        default:
            return self.fail("an unexpected character")
        }
    }

    private mutating func literal(_ word: String, _ value: Value) -> Value? {
        let utf8 = Array(word.utf8)
        guard self.bytes.count - self.index >= utf8.count, self.bytes[self.index..<(self.index + utf8.count)].elementsEqual(utf8) else {
            return self.fail("an unexpected word")
        }
        self.index += utf8.count
        return value
    }

    private mutating func string() -> Value? {
        guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else { return self.fail("no string") }
        self.index += 1
        var scalars = String.UnicodeScalarView()
        var plain: [UInt8] = []
        func flush() {
            if !plain.isEmpty {
                scalars.append(contentsOf: String(decoding: plain, as: UTF8.self).unicodeScalars)
                plain.removeAll()
            }
        }
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return .string(String(scalars))
            case UInt8(ascii: "\\"):
                flush()
                guard self.index < self.bytes.count else { return self.fail("end of input") }
                let escape = self.bytes[self.index]
                self.index += 1
                switch escape {
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "u"):
                    guard self.bytes.count - self.index >= 4,
                        let code = UInt32(String(decoding: self.bytes[self.index..<(self.index + 4)], as: UTF8.self), radix: 16)
                    else { return self.fail("a bad \\u escape") }
                    self.index += 4
                    // Surrogates (halves of a pair) become U+FFFD: the text is only shown.
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: scalars.append(Unicode.Scalar(escape))
                }
            default:
                guard byte >= 0x20 else { return self.fail("a control character in a string") }
                plain.append(byte)
            }
        }
        return self.fail("an unterminated string")
    }
}
