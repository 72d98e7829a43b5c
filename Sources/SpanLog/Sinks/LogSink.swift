/// Where encoded records go. A sink receives the bytes of one whole record (a line ending in
/// `\n`) per call and must keep records whole and in the order one thread wrote them.
///
/// `write` runs on the logging caller's thread: copy the bytes and return; do I/O elsewhere.
///
/// ```swift
/// final class CountingSink: LogSink {
///     let count = Mutex(0)
///     func write(_ record: UnsafeRawBufferPointer) { count.withLock { $0 += 1 } }
///     func flush() {}
///     func shutdown() {}
/// }
/// ```
public protocol LogSink: AnyObject, Sendable {
    /// Takes one encoded record, newline included. The buffer is only valid during the call.
    func write(_ record: UnsafeRawBufferPointer)
    /// Returns once everything written before the call has reached the sink's destination.
    func flush()
    /// Flushes and releases the sink's resources. Records written afterwards are handled as the
    /// sink documents (the console sink writes them directly; others count them as dropped).
    func shutdown()
    /// Like ``shutdown()``, but returns by `deadline` whatever the destination does (a stalled
    /// pipe, a hung disk), counting what it could not write; `true` when it finished in time.
    /// The default calls ``shutdown()``.
    @discardableResult
    func shutdown(deadline: ContinuousClock.Instant) -> Bool
}

extension LogSink {
    @discardableResult
    public func shutdown(deadline: ContinuousClock.Instant) -> Bool {
        self.shutdown()
        return true
    }
}

/// What a sink does when its bounded queue is full.
///
/// ```swift
/// let sink = ConsoleSink(fileDescriptor: 1, queuePolicy: .drop)
/// ```
public enum QueuePolicy: String, Sendable, CaseIterable {
    /// The caller waits for room: nothing is lost (the default).
    case block
    /// The record is dropped and counted; the count is reported as a warning record once writing
    /// resumes.
    case drop
}
