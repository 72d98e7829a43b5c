/// A growable byte buffer in raw memory for the encoders' hot path: appends check capacity and
/// nothing else (no copy-on-write uniqueness check, no retain), and the memory is kept from one
/// request to the next.
///
/// ```swift
/// let buffer = WriteBuffer(capacity: 1024)
/// buffer.append(0x0A)
/// let bytes = buffer.array  // [0x0A]
/// ```
final class WriteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes written.
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit {
        self.base.deallocate()
    }

    /// Where the next byte goes.
    @inline(__always)
    var end: UnsafeMutablePointer<UInt8> { self.base + self.count }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        if self.count + extra > self.capacity { self.grow(to: self.count + extra) }
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        self.reserve(1)
        self.base[self.count] = byte
        self.count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        self.reserve(bytes.count)
        (self.base + self.count).update(from: source, count: bytes.count)
        self.count += bytes.count
    }

    /// Moves the bytes from `index` on `size` places further, leaving a gap to fill.
    func insertGap(_ size: Int, at index: Int) {
        self.reserve(size)
        UnsafeMutableRawPointer(self.base + index + size).copyMemory(from: self.base + index, byteCount: self.count - index)
        self.count += size
    }

    /// A copy of the bytes written.
    var array: [UInt8] {
        Array(UnsafeBufferPointer(start: self.base, count: self.count))
    }

    private func grow(to needed: Int) {
        let newCapacity = max(needed, self.capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: self.base, count: self.count)
        self.base.deallocate()
        self.base = newBase
        self.capacity = newCapacity
    }
}
