import SpanLog

/// Writes the OTLP/JSON encoding (protobuf's JSON mapping with OTLP's changes): field names in
/// lowerCamelCase, trace and span ids as lowercase hex rather than base64, enums as integers,
/// 64-bit integers as decimal strings.
///
/// The writer keeps track of commas itself: ``key(_:)`` puts one before every member but the
/// first of an object, ``arrayElement()`` before every element but the first of an array.
///
/// ```swift
/// var json = OTLPJSONWriter()
/// json.object {
///     json.key("name"); json.string("GET /")
///     json.key("startTimeUnixNano"); json.uint64String(1_700_000_000_000_000_000)
/// }
/// // {"name":"GET /","startTimeUnixNano":"1700000000000000000"}
/// ```
struct OTLPJSONWriter {
    /// Where the bytes go (shared by copies of the writer: each encoder owns one writer).
    private let bytes: WriteBuffer
    /// Whether the innermost open object or array has a member yet.
    private var hasMember: [Bool] = []

    /// Creates an empty writer.
    init(capacity: Int = 8192) {
        self.bytes = WriteBuffer(capacity: capacity)
        self.hasMember.reserveCapacity(16)
    }

    /// A copy of the bytes written so far.
    var array: [UInt8] { self.bytes.array }

    /// Forgets what was written and keeps the storage.
    mutating func reset() {
        self.bytes.count = 0
        self.hasMember.removeAll(keepingCapacity: true)
    }

    /// `{` … `}` around what `body` writes.
    mutating func object(_ body: (inout OTLPJSONWriter) -> Void) {
        self.bytes.append(UInt8(ascii: "{"))
        self.hasMember.append(false)
        body(&self)
        self.hasMember.removeLast()
        self.bytes.append(UInt8(ascii: "}"))
    }

    /// `[` … `]` around what `body` writes; call ``arrayElement()`` before each element.
    mutating func array(_ body: (inout OTLPJSONWriter) -> Void) {
        self.bytes.append(UInt8(ascii: "["))
        self.hasMember.append(false)
        body(&self)
        self.hasMember.removeLast()
        self.bytes.append(UInt8(ascii: "]"))
    }

    /// The separator before an array element.
    mutating func arrayElement() {
        self.separator()
    }

    /// `"name":`, with a comma before it unless it is the object's first member. Names are
    /// ASCII identifiers chosen by the encoder, written without escaping.
    mutating func key(_ name: StaticString) {
        self.separator()
        self.bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { self.bytes.append($0) }
        self.bytes.append(UInt8(ascii: "\""))
        self.bytes.append(UInt8(ascii: ":"))
    }

    /// A JSON string, escaped as SpanLog's records escape it (``RecordBuffer/withJSONEscaped(_:_:)``).
    mutating func string(_ value: String) {
        self.bytes.append(UInt8(ascii: "\""))
        RecordBuffer.withJSONEscaped(value) { escaped in
            self.bytes.append(escaped.assumingMemoryBound(to: UInt8.self))
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON boolean.
    mutating func bool(_ value: Bool) {
        self.ascii(value ? "true" : "false")
    }

    /// A JSON number (for enums, `uint32` and `fixed32`).
    mutating func integer(_ value: Int) {
        if value < 0 { self.bytes.append(UInt8(ascii: "-")) }
        self.decimal(UInt64(value.magnitude))
    }

    /// A 64-bit unsigned integer as a decimal string (`fixed64`, `uint64`).
    mutating func uint64String(_ value: UInt64) {
        self.bytes.append(UInt8(ascii: "\""))
        self.decimal(value)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// A 64-bit signed integer as a decimal string (`int64`).
    mutating func int64String(_ value: Int64) {
        self.bytes.append(UInt8(ascii: "\""))
        if value < 0 { self.bytes.append(UInt8(ascii: "-")) }
        self.decimal(value.magnitude)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// The decimal digits of `value`, written without a String.
    private mutating func decimal(_ value: UInt64) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        self.bytes.reserve(digits)
        let out = self.bytes.end
        var remaining = value
        for index in stride(from: digits - 1, through: 0, by: -1) {
            out[index] = UInt8(truncatingIfNeeded: remaining % 10) &+ 0x30
            remaining /= 10
        }
        self.bytes.count += digits
    }

    /// A double: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"` as protobuf's JSON mapping says.
    mutating func double(_ value: Double) {
        if value.isNaN {
            self.ascii("\"NaN\"")
        } else if value.isInfinite {
            self.ascii(value < 0 ? "\"-Infinity\"" : "\"Infinity\"")
        } else if value == value.rounded(.towardZero), abs(value) < 1e15 {
            self.integer(Int(value))
        } else {
            self.ascii(String(value))
        }
    }

    /// A 16-byte id as 32 lowercase hex digits in quotes.
    mutating func hex128(high: UInt64, low: UInt64) {
        self.bytes.append(UInt8(ascii: "\""))
        self.appendHex(high)
        self.appendHex(low)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// An 8-byte id as 16 lowercase hex digits in quotes.
    mutating func hex64(_ value: UInt64) {
        self.bytes.append(UInt8(ascii: "\""))
        self.appendHex(value)
        self.bytes.append(UInt8(ascii: "\""))
    }

    private mutating func separator() {
        guard !self.hasMember.isEmpty else { return }
        if self.hasMember[self.hasMember.count - 1] {
            self.bytes.append(UInt8(ascii: ","))
        } else {
            self.hasMember[self.hasMember.count - 1] = true
        }
    }

    private mutating func ascii(_ text: String) {
        var text = text
        text.withUTF8 { self.bytes.append($0) }
    }

    private mutating func appendHex(_ value: UInt64) {
        self.bytes.reserve(16)
        let out = self.bytes.end
        for index in 0..<16 {
            out[index] = Self.hexDigit(UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0xF)
        }
        self.bytes.count += 16
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 0x30 : nibble &+ 0x57
    }
}
