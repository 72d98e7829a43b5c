/// A growable byte buffer that encoders write one record into.
///
/// The pipeline keeps one per thread and reuses it from record to record, so encoding allocates
/// nothing once the buffer has grown to the size of a typical record. It is noncopyable: it owns
/// its memory, and only ever lends it out for the length of a call.
///
/// ```swift
/// struct CSVEncoder: LogRecordEncoder {
///     func encode(_ record: LogRecord, into buffer: inout RecordBuffer) {
///         buffer.append(utf8: record.label)
///         buffer.append(UInt8(ascii: ","))
///         buffer.appendJSONEscaped(record.message.description)
///         buffer.append(UInt8(ascii: "\n"))
///     }
/// }
/// ```
public struct RecordBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    public private(set) var count: Int
    /// The last whole second written as `YYYY-MM-DDTHH:MM:SS` (19 bytes at `secondText`), so that
    /// records of the same second skip the calendar arithmetic.
    var cachedSecond: Int64 = .max
    let secondText: UnsafeMutablePointer<UInt8>

    /// Creates an empty buffer with room for `capacity` bytes before it grows.
    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 64)
        self.base = .allocate(capacity: self.capacity)
        self.count = 0
        self.secondText = .allocate(capacity: 19)
    }

    deinit {
        self.base.deallocate()
        self.secondText.deallocate()
    }

    /// Forgets the contents, keeping the memory.
    public mutating func removeAll() {
        self.count = 0
    }

    /// Forgets the bytes from `count` on (a shorter count only), keeping the memory.
    mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= self.count, "truncate(to:) past the written bytes")
        self.count = count
    }

    /// Lends the written bytes for the length of `body`.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: self.base, count: self.count))
    }

    /// The written bytes, copied into an array.
    public var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: self.base, count: self.count))
    }

    var allocatedCapacity: Int { self.capacity }

    /// Makes room for `additional` more bytes.
    @inline(__always)
    mutating func reserve(_ additional: Int) {
        if self.count + additional > self.capacity {
            self.grow(to: self.count + additional)
        }
    }

    @inline(never)
    private mutating func grow(to minimum: Int) {
        var newCapacity = self.capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: self.base, count: self.count)
        self.base.deallocate()
        self.base = newBase
        self.capacity = newCapacity
    }

    /// Appends one byte.
    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        self.reserve(1)
        self.base[self.count] = byte
        self.count &+= 1
    }

    /// Appends one byte after a ``reserve(_:)`` made room for it.
    @inline(__always)
    mutating func appendReserved(_ byte: UInt8) {
        self.base[self.count] = byte
        self.count &+= 1
    }

    /// Appends raw bytes.
    @inline(__always)
    public mutating func append(bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        guard count > 0 else { return }
        self.reserve(count)
        let target = UnsafeMutableRawPointer(self.base + self.count)
        let source = bytes.baseAddress!
        if count >= 8 && count <= 16 {
            // Most fragments, keys and values are this short: two overlapping 8-byte moves
            // instead of a call to memcpy.
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self), toByteOffset: count &- 8, as: UInt64.self)
        } else if count < 8 {
            for index in 0..<count {
                target.storeBytes(of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self)
            }
        } else {
            target.copyMemory(from: source, byteCount: count)
        }
        self.count &+= count
    }

    /// Appends raw bytes.
    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.append(bytes: UnsafeRawBufferPointer(bytes))
    }

    /// Appends a string's UTF-8 bytes as they are (no escaping).
    public mutating func append(utf8 string: String) {
        var string = string
        string.withUTF8 { self.append($0) }
    }

    /// Appends a static string's bytes as they are.
    @inline(__always)
    mutating func appendRaw(_ fragment: StaticString) {
        self.append(UnsafeBufferPointer(start: fragment.utf8Start, count: fragment.utf8CodeUnitCount))
    }

    /// Lets `body` write up to `maximum` bytes in place; `body` returns how many it wrote.
    @inline(__always)
    mutating func appendInPlace(maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        self.reserve(maximum)
        self.count &+= body(self.base + self.count)
    }
}
