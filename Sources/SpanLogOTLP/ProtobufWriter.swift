/// Writes protocol buffers wire format into one reusable byte array: varints, fixed 32/64-bit
/// values, doubles, strings, bytes and nested messages. Enough for the OTLP export requests, with
/// no generated code.
///
/// Nested messages are written in place: one byte is reserved for the length, the body is written
/// after it, and the bytes are moved only when the body turns out to need a longer length prefix
/// (128 bytes or more).
///
/// ```swift
/// var writer = ProtobufWriter()
/// writer.message(field: 1) { inner in
///     inner.string(field: 1, "service.name")
/// }
/// let bytes = writer.bytes
/// ```
struct ProtobufWriter {
    /// Protocol buffers wire types.
    enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    /// The bytes written so far.
    private(set) var bytes: [UInt8]

    /// Creates an empty writer with room for `capacity` bytes.
    init(capacity: Int = 4096) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    /// Forgets what was written and keeps the storage.
    mutating func reset() {
        self.bytes.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            self.bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        self.bytes.append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always)
    mutating func tag(_ field: Int, _ wireType: WireType) {
        self.varint(UInt64(field) << 3 | wireType.rawValue)
    }

    /// An unsigned varint field (uint32, uint64, enum values).
    mutating func uint64(field: Int, _ value: UInt64) {
        self.tag(field, .varint)
        self.varint(value)
    }

    /// An `int64` field: negative values take ten bytes (two's complement), as protobuf says.
    mutating func int64(field: Int, _ value: Int64) {
        self.tag(field, .varint)
        self.varint(UInt64(bitPattern: value))
    }

    /// A `bool` field.
    mutating func bool(field: Int, _ value: Bool) {
        self.tag(field, .varint)
        self.bytes.append(value ? 1 : 0)
    }

    /// A `fixed64` field, little-endian.
    mutating func fixed64(field: Int, _ value: UInt64) {
        self.tag(field, .fixed64)
        self.appendLittleEndian(value)
    }

    /// A `fixed32` field, little-endian.
    mutating func fixed32(field: Int, _ value: UInt32) {
        self.tag(field, .fixed32)
        var value = value
        for _ in 0..<4 {
            self.bytes.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }

    /// A `double` field (IEEE 754, little-endian).
    mutating func double(field: Int, _ value: Double) {
        self.tag(field, .fixed64)
        self.appendLittleEndian(value.bitPattern)
    }

    /// A `string` field: its UTF-8 bytes.
    mutating func string(field: Int, _ value: String) {
        self.tag(field, .lengthDelimited)
        var value = value
        value.withUTF8 { utf8 in
            self.varint(UInt64(utf8.count))
            self.bytes.append(contentsOf: utf8)
        }
    }

    /// A `bytes` field holding `high` then `low`, big-endian: a 16-byte trace id.
    mutating func id128(field: Int, high: UInt64, low: UInt64) {
        self.tag(field, .lengthDelimited)
        self.bytes.append(16)
        self.appendBigEndian(high)
        self.appendBigEndian(low)
    }

    /// A `bytes` field holding `value` big-endian: an 8-byte span id.
    mutating func id64(field: Int, _ value: UInt64) {
        self.tag(field, .lengthDelimited)
        self.bytes.append(8)
        self.appendBigEndian(value)
    }

    /// A nested message (or packed field) whose body `write` appends.
    @inline(__always)
    mutating func message(field: Int, _ write: (inout ProtobufWriter) -> Void) {
        self.tag(field, .lengthDelimited)
        let lengthIndex = self.bytes.count
        self.bytes.append(0)
        write(&self)
        let length = self.bytes.count - lengthIndex - 1
        if length < 0x80 {
            self.bytes[lengthIndex] = UInt8(truncatingIfNeeded: length)
            return
        }
        var size = 1
        var rest = length >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        self.bytes.insert(contentsOf: repeatElement(0, count: size - 1), at: lengthIndex + 1)
        var value = UInt64(length)
        var index = lengthIndex
        while value >= 0x80 {
            self.bytes[index] = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            index += 1
        }
        self.bytes[index] = UInt8(truncatingIfNeeded: value)
    }

    @inline(__always)
    private mutating func appendLittleEndian(_ value: UInt64) {
        var value = value
        for _ in 0..<8 {
            self.bytes.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }

    @inline(__always)
    private mutating func appendBigEndian(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            self.bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
