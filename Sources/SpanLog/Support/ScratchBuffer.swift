/// One reusable encoding buffer per thread, so that a record is encoded without allocating once
/// the buffer has grown to the size of a typical record.
final class ScratchBuffer: @unchecked Sendable {
    var buffer = RecordBuffer(capacity: 1024)
    var inUse = false

    private init() {}

    /// Buffers above this size are not kept between records (one huge message must not pin
    /// megabytes per thread).
    static let retainedCapacity = 64 * 1024

    private static let perThread = ThreadLocalObject { ScratchBuffer() }

    /// Runs `body` with this thread's empty buffer. A nested call on the same thread (a filter or
    /// a sink that logs) gets a fresh buffer instead of clobbering the outer one.
    @inline(__always)
    static func withBuffer<Result>(_ body: (inout RecordBuffer) -> Result) -> Result {
        let scratch = Self.perThread.value
        if scratch.inUse {
            var fresh = RecordBuffer(capacity: 1024)
            return body(&fresh)
        }
        scratch.inUse = true
        defer {
            scratch.inUse = false
            if scratch.buffer.allocatedCapacity > Self.retainedCapacity {
                scratch.buffer = RecordBuffer(capacity: 1024)
            } else {
                scratch.buffer.removeAll()
            }
        }
        return body(&scratch.buffer)
    }
}
