import SpanLogFormat

/// A small, strict RFC 8259 parser for one JSON text (one record line).
///
/// It works on raw bytes, so the scanner can hand it a line straight from a decompression
/// buffer without making a `String` first.
///
/// ```swift
/// let record = try JSONParser.parse(#"{"record":"log","message":"hi"}"#)
/// record["message"]?.string   // "hi"
/// ```
public enum JSONParser {
    /// Why a text is not JSON, and where (byte offset into the text).
    ///
    /// ```swift
    /// do { _ = try JSONParser.parse("{") } catch { print(error.description) }
    /// ```
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// Byte offset where parsing stopped.
        public var offset: Int
        /// What was expected.
        public var reason: String

        public var description: String { "\(self.reason) at byte \(self.offset)" }
    }

    /// Parses `text` (surrounding whitespace allowed; nothing else may follow the value).
    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(Failure) -> JSONValue in try Self.parse(UnsafeRawBufferPointer(bytes)) }
        }
        return try result.get()
    }

    /// Parses the bytes of one JSON text.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw Failure(offset: parser.index, reason: "unexpected data after the value") }
        return value
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        /// The writer's limit too (docs/format.md): every record SpanLog writes is readable, and
        /// no line can exhaust the stack.
        static let maximumDepth = RecordNesting.maximumDepth

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        func fail(_ reason: String) -> Failure { Failure(offset: self.index, reason: reason) }

        mutating func skipWhitespace() {
            while self.index < self.bytes.count {
                switch self.bytes[self.index] {
                case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
                default: return
                }
            }
        }

        /// `depth`: the objects and arrays around the value; one more is allowed if it is below
        /// ``maximumDepth``.
        mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
            guard self.index < self.bytes.count else { throw self.fail("unexpected end of input") }
            switch self.bytes[self.index] {
            case UInt8(ascii: "{") where depth >= Self.maximumDepth, UInt8(ascii: "[") where depth >= Self.maximumDepth:
                throw self.fail("nesting deeper than \(Self.maximumDepth) objects and arrays")
            case UInt8(ascii: "{"): return .object(try self.parseObject(depth: depth))
            case UInt8(ascii: "["): return try self.parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try self.parseString())
            case UInt8(ascii: "t"): try self.expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try self.expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try self.expectLiteral("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try self.parseNumber()
            default: throw self.fail("expected a value")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
            let count = literal.utf8CodeUnitCount
            guard self.index + count <= self.bytes.count else { throw self.fail("unexpected end of input") }
            for offset in 0..<count where self.bytes[self.index + offset] != literal.utf8Start[offset] {
                throw self.fail("invalid literal")
            }
            self.index += count
        }

        mutating func parseObject(depth: Int) throws(Failure) -> JSONObject {
            self.index += 1
            var members: [JSONObject.Member] = []
            self.skipWhitespace()
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "}") {
                self.index += 1
                return JSONObject(members)
            }
            while true {
                self.skipWhitespace()
                guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else {
                    throw self.fail("expected a member name")
                }
                let key = try self.parseString()
                self.skipWhitespace()
                guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ":") else {
                    throw self.fail("expected ':'")
                }
                self.index += 1
                self.skipWhitespace()
                let value = try self.parseValue(depth: depth + 1)
                members.append(JSONObject.Member(key: key, value: value))
                self.skipWhitespace()
                guard self.index < self.bytes.count else { throw self.fail("unexpected end of input") }
                let byte = self.bytes[self.index]
                self.index += 1
                if byte == UInt8(ascii: "}") { return JSONObject(members) }
                guard byte == UInt8(ascii: ",") else { self.index -= 1; throw self.fail("expected ',' or '}'") }
            }
        }

        mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
            self.index += 1
            var elements: [JSONValue] = []
            self.skipWhitespace()
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "]") {
                self.index += 1
                return .array(elements)
            }
            while true {
                self.skipWhitespace()
                elements.append(try self.parseValue(depth: depth + 1))
                self.skipWhitespace()
                guard self.index < self.bytes.count else { throw self.fail("unexpected end of input") }
                let byte = self.bytes[self.index]
                self.index += 1
                if byte == UInt8(ascii: "]") { return .array(elements) }
                guard byte == UInt8(ascii: ",") else { self.index -= 1; throw self.fail("expected ',' or ']'") }
            }
        }

        mutating func parseNumber() throws(Failure) -> JSONValue {
            let start = self.index
            func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
            if self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
            guard self.index < self.bytes.count, isDigit(self.bytes[self.index]) else { throw self.fail("invalid number") }
            if self.bytes[self.index] == UInt8(ascii: "0") {
                self.index += 1
            } else {
                while self.index < self.bytes.count, isDigit(self.bytes[self.index]) { self.index += 1 }
            }
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ".") {
                self.index += 1
                guard self.index < self.bytes.count, isDigit(self.bytes[self.index]) else { throw self.fail("invalid number") }
                while self.index < self.bytes.count, isDigit(self.bytes[self.index]) { self.index += 1 }
            }
            if self.index < self.bytes.count, self.bytes[self.index] | 0x20 == UInt8(ascii: "e") {
                self.index += 1
                if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "+") || self.bytes[self.index] == UInt8(ascii: "-") {
                    self.index += 1
                }
                guard self.index < self.bytes.count, isDigit(self.bytes[self.index]) else { throw self.fail("invalid number") }
                while self.index < self.bytes.count, isDigit(self.bytes[self.index]) { self.index += 1 }
            }
            return .number(String(decoding: UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self))
        }

        mutating func parseString() throws(Failure) -> String {
            self.index += 1
            let start = self.index
            // Fast path: no escapes.
            while self.index < self.bytes.count {
                let byte = self.bytes[self.index]
                if byte == UInt8(ascii: "\"") {
                    let result = String(decoding: UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
                    self.index += 1
                    return result
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw self.fail("control character in string") }
                self.index += 1
            }
            var scalars: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.index]))
            while self.index < self.bytes.count {
                let byte = self.bytes[self.index]
                self.index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: scalars, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard self.index < self.bytes.count else { throw self.fail("unexpected end of input") }
                    let escape = self.bytes[self.index]
                    self.index += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append(0x22)
                    case UInt8(ascii: "\\"): scalars.append(0x5C)
                    case UInt8(ascii: "/"): scalars.append(0x2F)
                    case UInt8(ascii: "b"): scalars.append(0x08)
                    case UInt8(ascii: "f"): scalars.append(0x0C)
                    case UInt8(ascii: "n"): scalars.append(0x0A)
                    case UInt8(ascii: "r"): scalars.append(0x0D)
                    case UInt8(ascii: "t"): scalars.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try self.parseHex4()
                        if (0xD800...0xDBFF).contains(code) {
                            if self.index + 1 < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\\"), self.bytes[self.index + 1] == UInt8(ascii: "u") {
                                let save = self.index
                                self.index += 2
                                let low = try self.parseHex4()
                                if (0xDC00...0xDFFF).contains(low) {
                                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                                } else {
                                    self.index = save
                                    code = 0xFFFD
                                }
                            } else {
                                code = 0xFFFD
                            }
                        } else if (0xDC00...0xDFFF).contains(code) {
                            code = 0xFFFD
                        }
                        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                        scalars.append(contentsOf: UTF8.encode(scalar)!)
                    default:
                        self.index -= 1
                        throw self.fail("invalid escape")
                    }
                default:
                    if byte < 0x20 { self.index -= 1; throw self.fail("control character in string") }
                    scalars.append(byte)
                }
            }
            throw self.fail("unterminated string")
        }

        mutating func parseHex4() throws(Failure) -> UInt32 {
            guard self.index + 4 <= self.bytes.count else { throw self.fail("unexpected end of input") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = self.bytes[self.index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw self.fail("invalid \\u escape")
                }
                value = value << 4 | digit
                self.index += 1
            }
            return value
        }
    }
}
