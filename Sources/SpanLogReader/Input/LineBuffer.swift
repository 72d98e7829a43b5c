internal import CSpanLogFormat
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Owned raw memory that decompressed (or plain) bytes are written into and complete lines are
/// taken from. A line is never split: the unfinished tail is moved to the front before more
/// bytes arrive, and the buffer grows only when a single line is longer than it.
struct LineBuffer: ~Copyable {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Bytes held (complete lines already delivered are gone; this is the unfinished tail plus
    /// whatever arrived since).
    private(set) var count = 0
    /// Offset in the file's decompressed contents of `base[0]`.
    private(set) var streamOffset: UInt64 = 0

    init(capacity: Int) {
        self.capacity = capacity
        self.base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        self.base.deallocate()
    }

    /// Sets the decompressed offset of the first byte to come (reading from the middle of a
    /// file); only before any bytes arrived.
    mutating func startOffset(at offset: UInt64) {
        precondition(self.count == 0 && self.streamOffset == 0, "startOffset before any bytes")
        self.streamOffset = offset
    }

    /// Free space after the held bytes, growing when less than a quarter is left.
    mutating func reserveFreeSpace() -> UnsafeMutableRawBufferPointer {
        if self.capacity - self.count < self.capacity / 4 {
            let newCapacity = self.capacity * 2
            let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            newBase.copyMemory(from: self.base, byteCount: self.count)
            self.base.deallocate()
            self.base = newBase
            self.capacity = newCapacity
        }
        return UnsafeMutableRawBufferPointer(start: self.base + self.count, count: self.capacity - self.count)
    }

    /// Records that `added` bytes were written into the free space, then hands every complete
    /// line (each ending in `\n`) to `body` in one block, and keeps the unfinished tail.
    mutating func commit(_ added: Int, _ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        guard added > 0 else { return }
        let searchStart = self.count
        self.count += added
        guard let newline = spanlog_memrchr(self.base + searchStart, 0x0A, added) else { return }
        let end = UnsafeRawPointer(newline) - UnsafeRawPointer(self.base) + 1
        body(UnsafeRawBufferPointer(start: self.base, count: end), self.streamOffset)
        self.dropFront(end)
    }

    /// Hands the unfinished tail to `body` as a last line (a plain file's last line may lack its
    /// newline) and empties the buffer.
    mutating func flushTail(_ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        guard self.count > 0 else { return }
        body(UnsafeRawBufferPointer(start: self.base, count: self.count), self.streamOffset)
        self.dropFront(self.count)
    }

    /// Forgets the unfinished tail (after damaged data); returns how many bytes were dropped.
    @discardableResult
    mutating func discardTail() -> Int {
        let dropped = self.count
        self.dropFront(dropped)
        return dropped
    }

    private mutating func dropFront(_ length: Int) {
        let remaining = self.count - length
        if remaining > 0 {
            memmove(self.base, self.base + length, remaining)
        }
        self.count = remaining
        self.streamOffset += UInt64(length)
    }
}
