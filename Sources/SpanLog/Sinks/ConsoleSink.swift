#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// Writes records to standard output, standard error or any file descriptor, buffered, from its
/// own writer thread.
///
/// Callers copy the record into a bounded queue and return; the writer thread writes whatever
/// has accumulated in one `write(2)`, so every record stays whole even with many threads logging,
/// and a burst costs one system call rather than one per record. When the queue is full the
/// caller waits (``QueuePolicy/block``, the default) or the record is dropped and counted
/// (``QueuePolicy/drop``). After ``shutdown()`` records are written directly, so console output
/// is never lost while someone reads it.
///
/// A console nobody reads cannot stop the service: a caller waits for room at most
/// `blockLimit` (then records are dropped and counted until the writer moves again), so the
/// other outputs (the log files) keep every record; a reader that has gone (`EPIPE`) is an
/// outage whose records are counted as lost, never a `SIGPIPE` that kills the process; and
/// ``shutdown(deadline:)`` returns by its deadline even if a `write(2)` never does.
///
/// ```swift
/// let output = LogOutput(encoder: JSONRecordEncoder(), sinks: [ConsoleSink.standardOutput])
/// ```
public final class ConsoleSink: LogSink, @unchecked Sendable {
    /// The process-wide sink for standard output.
    public static let standardOutput = ConsoleSink(fileDescriptor: STDOUT_FILENO)
    /// The process-wide sink for standard error.
    public static let standardError = ConsoleSink(fileDescriptor: STDERR_FILENO)

    /// How long a flush, or a shutdown without a deadline, waits for a console that does not
    /// take its output.
    public static let defaultShutdownWait: Duration = .seconds(10)
    /// How long a direct write (after shutdown) waits for the console to take bytes.
    static let directWriteWaitMilliseconds: Int32 = 100

    private let fileDescriptor: Int32
    private let queue: RecordQueue
    private let directLock = ConditionLock()
    private var writer: WriterThread?  // guarded by stateLock
    private let stateLock = ConditionLock()
    private let lost: LostRecords

    /// Records the writer could not deliver (a failed `write(2)`, e.g. `EPIPE`), and direct
    /// writes given up on.
    private final class LostRecords: @unchecked Sendable {
        private let lock = ConditionLock()
        private var count: UInt64 = 0  // guarded by lock
        func add(_ records: Int) { self.lock.withLock { self.count += UInt64(records) } }
        var total: UInt64 { self.lock.withLock { self.count } }
    }

    /// Creates a sink for `fileDescriptor`, which stays owned by the caller (it is not closed).
    ///
    /// - Parameters:
    ///   - queueBytes: how many bytes of records may wait for the writer thread.
    ///   - queuePolicy: what a caller does when they would not fit.
    ///   - blockLimit: with the `block` policy, the longest a caller waits for room; after it the
    ///     record is dropped (counted), and so is every record that finds the queue full until
    ///     the writer takes a batch again.
    public init(fileDescriptor: Int32, queueBytes: Int = 4 << 20, queuePolicy: QueuePolicy = .block, blockLimit: Duration = .milliseconds(500)) {
        self.fileDescriptor = fileDescriptor
        self.queue = RecordQueue(capacityBytes: queueBytes, policy: queuePolicy, blockLimitNanoseconds: blockLimit.nanoseconds)
        let lost = LostRecords()
        self.lost = lost
        let queue = self.queue
        let fd = fileDescriptor
        self.writer = WriterThread(name: "spanlog-console") {
            ConsoleSink.runWriter(queue: queue, fileDescriptor: fd, lost: lost)
        }
    }

    /// Records dropped so far: by the `drop` policy or the block limit, or lost to a console
    /// that failed (`EPIPE`) or never took them.
    public var droppedRecords: UInt64 { self.queue.droppedCount + self.lost.total }

    public func write(_ record: UnsafeRawBufferPointer) {
        switch self.queue.enqueue(record) {
        case .queued, .dropped:
            return
        case .closed:
            self.directLock.withLock {
                if !Self.writeDirectly(self.fileDescriptor, record) { self.lost.add(1) }
            }
        }
    }

    public func flush() {
        _ = self.queue.flush(deadline: monotonicNanoseconds() &+ Self.defaultShutdownWait.nanoseconds)
    }

    public func shutdown() {
        self.shutdown(deadline: .now + Self.defaultShutdownWait)
    }

    @discardableResult
    public func shutdown(deadline: ContinuousClock.Instant) -> Bool {
        self.queue.close()
        let writer = self.stateLock.withLock { () -> WriterThread? in
            defer { self.writer = nil }
            return self.writer
        }
        guard let writer else { return true }
        let wait = max(.zero, ContinuousClock.now.duration(to: deadline))
        if writer.join(timeout: wait.nanoseconds) { return true }
        // The writer is stuck in a write(2) nobody reads: what it holds is lost.
        self.lost.add(self.queue.pendingRecordCount)
        return false
    }

    private static func runWriter(queue: RecordQueue, fileDescriptor: Int32, lost: LostRecords) {
        var spare: [UInt8] = []
        while true {
            let batch = queue.next(into: &spare, deadline: nil)
            if !spare.isEmpty {
                if FileDescriptorIO.writeAll(fileDescriptor, spare) != 0 {
                    // EPIPE (the reader has gone) or another failure: an outage, counted.
                    WriterThread.discardPendingBrokenPipeSignal()
                    lost.add(batch.records)
                }
                spare.removeAll(keepingCapacity: true)
            }
            if batch.dropped > 0 {
                if FileDescriptorIO.writeAll(fileDescriptor, DropNotice.jsonLine(dropped: batch.dropped, sink: "console")) != 0 {
                    WriterThread.discardPendingBrokenPipeSignal()
                }
            }
            queue.completeFlush(batch.flushTicket)
            if batch.isFinal { return }
        }
    }

    /// Writes one record on the caller's thread once the console can take bytes, waiting at
    /// most ``directWriteWaitMilliseconds`` for that, with `SIGPIPE` blocked. `false` when it
    /// could not.
    private static func writeDirectly(_ fileDescriptor: Int32, _ record: UnsafeRawBufferPointer) -> Bool {
        var poller = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
        guard poll(&poller, 1, Self.directWriteWaitMilliseconds) == 1, poller.revents & Int16(POLLOUT) != 0 else { return false }
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &signals, &previous)
        let failed = FileDescriptorIO.writeAll(fileDescriptor, record) != 0
        if failed { WriterThread.discardPendingBrokenPipeSignal() }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        return !failed
    }
}
