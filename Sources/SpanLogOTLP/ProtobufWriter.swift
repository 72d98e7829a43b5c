/// Writes protocol buffers wire format into one reusable byte array: varints, fixed 32/64-bit
/// values, doubles, strings, bytes and nested messages. Enough for the OTLP export requests, with
/// no generated code.
///
/// Nested messages are written in place: one byte is reserved for the length, the body is written
/// after it, and the bytes are moved only when the body turns out to need a longer length prefix
/// (128 bytes or more).
///
/// The bytes live in a ``WriteBuffer`` (raw memory, no copy-on-write checks per append); copies
/// of a writer share it, so each encoder owns exactly one writer.
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

    private let buffer: WriteBuffer

    /// Creates an empty writer with room for `capacity` bytes.
    init(capacity: Int = 4096) {
        self.buffer = WriteBuffer(capacity: capacity)
    }

    /// A copy of the bytes written so far.
    var bytes: [UInt8] { self.buffer.array }

    /// Forgets what was written and keeps the storage.
    mutating func reset() {
        self.buffer.count = 0
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        self.buffer.reserve(10)
        var value = value
        var out = self.buffer.end
        while value >= 0x80 {
            out.pointee = UInt8(truncatingIfNeeded: value) | 0x80
            out += 1
            value >>= 7
        }
        out.pointee = UInt8(truncatingIfNeeded: value)
        self.buffer.count += (out - self.buffer.end) + 1
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
        self.buffer.append(value ? 1 : 0)
    }

    /// A `fixed64` field, little-endian.
    mutating func fixed64(field: Int, _ value: UInt64) {
        self.tag(field, .fixed64)
        self.appendLittleEndian(value)
    }

    /// A `fixed32` field, little-endian.
    mutating func fixed32(field: Int, _ value: UInt32) {
        self.tag(field, .fixed32)
        self.buffer.reserve(4)
        var littleEndian = value.littleEndian
        withUnsafeBytes(of: &littleEndian) { self.buffer.end.update(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: 4) }
        self.buffer.count += 4
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
            self.buffer.append(utf8)
        }
    }

    /// A `bytes` field holding `high` then `low`, big-endian: a 16-byte trace id.
    mutating func id128(field: Int, high: UInt64, low: UInt64) {
        self.tag(field, .lengthDelimited)
        self.buffer.append(16)
        self.appendBigEndian(high)
        self.appendBigEndian(low)
    }

    /// A `bytes` field holding `value` big-endian: an 8-byte span id.
    mutating func id64(field: Int, _ value: UInt64) {
        self.tag(field, .lengthDelimited)
        self.buffer.append(8)
        self.appendBigEndian(value)
    }

    /// A packed `repeated fixed64` field (a histogram's bucket counts); nothing when empty.
    mutating func packedFixed64(field: Int, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        self.tag(field, .lengthDelimited)
        self.varint(UInt64(values.count) * 8)
        for value in values { self.appendLittleEndian(value) }
    }

    /// A packed `repeated double` field (a histogram's bounds); nothing when empty.
    mutating func packedDouble(field: Int, _ values: [Double]) {
        guard !values.isEmpty else { return }
        self.tag(field, .lengthDelimited)
        self.varint(UInt64(values.count) * 8)
        for value in values { self.appendLittleEndian(value.bitPattern) }
    }

    /// A nested message (or packed field) whose body `write` appends.
    @inline(__always)
    mutating func message(field: Int, _ write: (inout ProtobufWriter) -> Void) {
        self.tag(field, .lengthDelimited)
        let lengthIndex = self.buffer.count
        self.buffer.append(0)
        write(&self)
        let length = self.buffer.count - lengthIndex - 1
        if length < 0x80 {
            self.buffer.base[lengthIndex] = UInt8(truncatingIfNeeded: length)
            return
        }
        var size = 1
        var rest = length >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        self.buffer.insertGap(size - 1, at: lengthIndex + 1)
        var value = UInt64(length)
        var index = lengthIndex
        while value >= 0x80 {
            self.buffer.base[index] = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            index += 1
        }
        self.buffer.base[index] = UInt8(truncatingIfNeeded: value)
    }

    @inline(__always)
    private mutating func appendLittleEndian(_ value: UInt64) {
        self.appendRaw(value.littleEndian)
    }

    @inline(__always)
    private mutating func appendBigEndian(_ value: UInt64) {
        self.appendRaw(value.bigEndian)
    }

    @inline(__always)
    private mutating func appendRaw(_ value: UInt64) {
        self.buffer.reserve(8)
        UnsafeMutableRawPointer(self.buffer.end).storeBytes(of: value, as: UInt64.self)
        self.buffer.count += 8
    }
}
