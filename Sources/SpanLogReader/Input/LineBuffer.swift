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
/// bytes arrive, and the buffer grows only when a single line is longer than it — up to
/// ``maximumLineBytes``. A line longer than that is dropped (counted, with the offset of the
/// first one) and its bytes are skipped up to its newline, so the buffer never holds more than
/// `maximumLineBytes + 1` bytes and never grows past ``maximumCapacity``.
///
/// ```swift
/// var buffer = LineBuffer(capacity: 256 * 1024, maximumLineBytes: 16 << 20)
/// let space = buffer.reserveFreeSpace()
/// let count = read(fd, space.baseAddress, space.count)
/// buffer.commit(count) { lines, offset in print(offset, lines.count) }
/// ```
struct LineBuffer: ~Copyable {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Bytes held (complete lines already delivered are gone; this is the unfinished tail plus
    /// whatever arrived since).
    private(set) var count = 0
    /// Offset in the file's decompressed contents of `base[0]`.
    private(set) var streamOffset: UInt64 = 0
    /// The longest line kept, without its newline; longer lines are skipped.
    let maximumLineBytes: Int
    /// The most the buffer grows to: the longest line, its newline, and room for one more read.
    let maximumCapacity: Int
    /// Lines skipped for being longer than ``maximumLineBytes``, and where the first began.
    private(set) var overlongLines = 0
    private(set) var firstOverlongLineOffset: UInt64?
    /// True while the rest of an over-long line is being skipped (up to its newline).
    private var skippingLine = false

    /// `maximumLineBytes` must be at least `capacity` (a first read always fits).
    init(capacity: Int, maximumLineBytes: Int) {
        precondition(maximumLineBytes >= capacity, "the line limit is at least the first capacity")
        self.capacity = capacity
        self.maximumLineBytes = maximumLineBytes
        self.maximumCapacity = maximumLineBytes + capacity
        self.base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        self.base.deallocate()
    }

    /// Whether everything received so far ended with a whole line (nothing held, no over-long
    /// line being skipped).
    var endsWithWholeLine: Bool { self.count == 0 && !self.skippingLine }

    /// Sets the decompressed offset of the first byte to come (reading from the middle of a
    /// file); only before any bytes arrived.
    mutating func startOffset(at offset: UInt64) {
        precondition(self.count == 0 && self.streamOffset == 0, "startOffset before any bytes")
        self.streamOffset = offset
    }

    /// Free space after the held bytes, growing (up to ``maximumCapacity``) when less than a
    /// quarter is left. Never more than the held line may still grow by before it is over-long,
    /// so a line is skipped exactly when it is longer than ``maximumLineBytes``; never empty.
    mutating func reserveFreeSpace() -> UnsafeMutableRawBufferPointer {
        if self.capacity - self.count < self.capacity / 4, self.capacity < self.maximumCapacity {
            let newCapacity = min(self.capacity * 2, self.maximumCapacity)
            let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            newBase.copyMemory(from: self.base, byteCount: self.count)
            self.base.deallocate()
            self.base = newBase
            self.capacity = newCapacity
        }
        // After `commit` the held bytes are one unfinished line of at most maximumLineBytes.
        let room = min(self.capacity - self.count, self.maximumLineBytes + 1 - self.count)
        return UnsafeMutableRawBufferPointer(start: self.base + self.count, count: room)
    }

    /// Records that `added` bytes were written into the free space, then hands every complete
    /// line (each ending in `\n`) to `body` in one block, and keeps the unfinished tail (or
    /// drops it, when it is already longer than ``maximumLineBytes``).
    mutating func commit(_ added: Int, _ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        guard added > 0 else { return }
        var searchStart = self.count
        self.count += added
        if self.skippingLine {
            // The rest of an over-long line: dropped up to and with its newline.
            guard let newline = memchr(self.base + searchStart, 0x0A, added) else {
                self.dropFront(self.count)
                return
            }
            self.skippingLine = false
            self.dropFront(UnsafeRawPointer(newline) - UnsafeRawPointer(self.base) + 1)
            searchStart = 0
            guard self.count > 0 else { return }
        }
        if let newline = spanlog_memrchr(self.base + searchStart, 0x0A, self.count - searchStart) {
            let end = UnsafeRawPointer(newline) - UnsafeRawPointer(self.base) + 1
            body(UnsafeRawBufferPointer(start: self.base, count: end), self.streamOffset)
            self.dropFront(end)
        }
        if self.count > self.maximumLineBytes {
            self.overlongLines += 1
            if self.firstOverlongLineOffset == nil { self.firstOverlongLineOffset = self.streamOffset }
            self.skippingLine = true
            self.dropFront(self.count)
        }
    }

    /// Hands the unfinished tail to `body` as a last line (a plain file's last line may lack its
    /// newline) and empties the buffer.
    mutating func flushTail(_ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        self.skippingLine = false
        guard self.count > 0 else { return }
        body(UnsafeRawBufferPointer(start: self.base, count: self.count), self.streamOffset)
        self.dropFront(self.count)
    }

    /// Forgets the unfinished tail (after damaged data); returns how many bytes were dropped.
    @discardableResult
    mutating func discardTail() -> Int {
        self.skippingLine = false
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
        // Saturating: the start offset may come from an index file.
        let (offset, overflow) = self.streamOffset.addingReportingOverflow(UInt64(length))
        self.streamOffset = overflow ? UInt64.max : offset
    }
}
