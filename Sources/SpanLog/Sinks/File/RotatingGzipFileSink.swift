/// Writes records as JSON Lines into gzip files in a directory, rotating them by size and time
/// and deleting old ones, from its own writer thread.
///
/// Callers copy each record into a bounded queue and return. The writer thread compresses the
/// records with zlib and, at every flush (each ``Configuration/flushIntervalMilliseconds``, and
/// on ``flush()``), ends a gzip member and writes it with one `write(2)`. A file is a sequence of
/// whole members, so it is a valid gzip file after every flush, and a crash (even `kill -9`)
/// loses at most the records of the current flush window. When a sink starts it repairs the
/// newest existing file of its name if a killed process left a torn member at its end.
///
/// Files are named `<fileName>-<UTC start, yyyyMMdd'T'HHmmss'Z'>-<sequence>.jsonl.gz` (for
/// example `app-20261125T150405Z-0001.jsonl.gz`), so they sort lexically in time order, and
/// `zcat app-*.jsonl.gz` reads them in order. A sink never reopens an existing file: every start
/// and every rotation begins a new one.
///
/// Disk full, I/O errors, or a directory that was deleted or replaced never crash the process
/// nor block it forever: the writer keeps the pending bytes and retries with backoff; with the
/// `block` policy callers wait for at most ``Configuration/outageBlockLimitMilliseconds``, after
/// which records are dropped and counted; once writing works again, the outage (and what it
/// cost) is reported in a warning record in the file and in one line on standard error.
///
/// ```swift
/// let sink = RotatingGzipFileSink(configuration: .init(directory: "/var/log/checkout", fileName: "checkout"))
/// let pipeline = LogPipeline(sinks: [sink])
/// let logger = Logger(label: "checkout") { SpanLogHandler(label: $0, pipeline: pipeline) }
/// logger.info("started")
/// pipeline.shutdown()  // drains the queue, writes the last member, closes the file
/// ```
///
/// Only one sink at a time writes the files of a name in a directory: it locks the name
/// (`<directory>/.<fileName>.lock`, held for its life), and a second sink with the same name, in
/// this process or another, writes `<fileName>-2-…` files instead (see `docs/operations.md`).
public final class RotatingGzipFileSink: LogSink, @unchecked Sendable {
    /// The configuration in use (out-of-range values already clamped).
    public let configuration: Configuration

    private let queue: RecordQueue
    private let lost = LostRecordCounter()
    private let status = FileWriterStatus()
    private let stateLock = ConditionLock()
    private var writer: WriterThread?  // guarded by stateLock

    /// Starts a sink and its writer thread. Nothing is written until the first flush window
    /// ends; problems with the directory are reported on standard error, and retried, then.
    ///
    /// - Parameters:
    ///   - configuration: where and how to write.
    ///   - clock: the wall clock used for file names, time rotation and retention (inject one in
    ///     tests); the flush interval runs on the monotonic clock.
    public convenience init(configuration: Configuration, clock: @escaping @Sendable () -> RecordTime = { RecordTime.now() }) {
        self.init(configuration: configuration, clock: clock, faults: FileSinkFaults())
    }

    /// A sink whose writer makes its system calls through `faults` (tests make them fail or hang).
    init(configuration: Configuration, clock: @escaping @Sendable () -> RecordTime, faults: FileSinkFaults) {
        let configuration = configuration.normalized
        self.configuration = configuration
        // The writer gathers records for up to 2 ms (half the flush interval if that is shorter)
        // before compressing them: one wake-up per batch, not per record. While a gzip member is
        // open it sleeps until the member's flush window ends (by which it writes the member
        // anyway) unless volume, a flush or shutdown wakes it earlier. A caller waits for room at
        // most the outage limit and the writer's longest backoff (by then a writer that can run
        // takes records off the queue, dropping them if it cannot write), even when the writer is
        // stuck in a system call.
        self.queue = RecordQueue(
            capacityBytes: configuration.queueBytes,
            policy: configuration.queuePolicy,
            lingerNanoseconds: min(2_000_000, UInt64(configuration.flushIntervalMilliseconds) * 500_000),
            waitsForDeadline: true,
            blockLimitNanoseconds: UInt64(configuration.outageBlockLimitMilliseconds) * 1_000_000 + WriteOutage.maximumBackoff
        )
        let writer = RotatingGzipFileWriter(
            configuration: configuration, clock: clock, queue: self.queue, lost: self.lost, status: self.status, faults: faults)
        self.writer = WriterThread(name: "spanlog-file") { writer.run() }
    }

    deinit {
        self.shutdown()
    }

    /// Records dropped so far: by the `drop` policy, during an outage that outlasted the
    /// blocking limit, written after ``shutdown()``, or still unwritten when a shutdown stopped
    /// waiting for the writer.
    public var droppedRecords: UInt64 { self.queue.droppedCount + self.lost.value }

    public func write(_ record: UnsafeRawBufferPointer) {
        if case .closed = self.queue.enqueue(record) {
            self.lost.add(1)
        }
    }

    /// How long ``flush()``, ``flush(fsync:)`` and ``shutdown()`` wait for the writer at most:
    /// the outage limit (after which the writer gives up on a failing disk) and 2 s for its
    /// backoff step and last write.
    public var defaultWaitLimit: Duration {
        .milliseconds(self.configuration.outageBlockLimitMilliseconds + 2000)
    }

    /// Returns once every record written before the call is in a file as a whole gzip member
    /// (or, during an outage, once the outage limit has passed), or after ``defaultWaitLimit``
    /// if the writer is stuck (a `write(2)` that hangs on a hard NFS mount).
    public func flush() {
        _ = self.queue.flush(deadline: Self.deadline(after: self.defaultWaitLimit))
    }

    /// Like ``flush()``; with `fsync` the records are also synced to stable storage, so they
    /// survive a machine crash, not just a process crash: every record written before the call,
    /// including those in files rotation closed since, and the new files' directory entries.
    /// Waits at most ``defaultWaitLimit``; returns whether it worked.
    ///
    /// ```swift
    /// if case .failed(let reason) = sink.flush(fsync: true) {   // e.g. before acknowledging a payment
    ///     throw PaymentError.notDurable(reason)
    /// }
    /// ```
    @discardableResult
    public func flush(fsync: Bool) -> FlushResult {
        self.flush(fsync: fsync, timeout: self.defaultWaitLimit)
    }

    /// Like ``flush(fsync:)``, waiting at most `timeout`.
    ///
    /// ```swift
    /// let result = sink.flush(fsync: true, timeout: .seconds(2))   // .completed, .failed or .timedOut
    /// ```
    @discardableResult
    public func flush(fsync: Bool, timeout: Duration) -> FlushResult {
        let failuresBefore = self.status.failures
        guard self.queue.flush(durable: fsync, deadline: Self.deadline(after: timeout)) else { return .timedOut }
        if self.status.failures != failuresBefore { return .failed(reason: self.status.lastFailure) }
        return .completed
    }

    /// Drains the queue, writes the last member and closes the file. Records written afterwards
    /// are counted in ``droppedRecords``. Waits at most ``defaultWaitLimit``.
    public func shutdown() {
        self.shutdown(timeout: self.defaultWaitLimit)
    }

    /// Like ``shutdown()``, waiting at most `timeout`: the writer gives up on a failing disk by
    /// then, and if it is stuck in a system call (a `write(2)` or `fsync` that hangs on a hard
    /// NFS mount) the sink stops waiting for it. Records that did not reach a file are counted in
    /// ``droppedRecords``. Returns true when the writer finished in time, false when it is still
    /// stuck (it is left to finish by itself; should its write return, records already counted
    /// as lost may still reach the file).
    ///
    /// ```swift
    /// let finished = sink.shutdown(timeout: .seconds(5))   // e.g. what is left of a grace period
    /// ```
    @discardableResult
    public func shutdown(timeout: Duration) -> Bool {
        let start = monotonicNanoseconds()
        let deadline = Self.deadline(after: timeout)
        // The writer gives up on a failing disk a little earlier (a fifth of the time, at most
        // 250 ms), so that it has finished when the caller's wait ends.
        let margin = min((deadline &- start) / 5, 250_000_000)
        self.status.shutdownDeadline = min(self.status.shutdownDeadline, deadline &- margin)
        self.queue.close()
        let writer = self.stateLock.withLock { () -> WriterThread? in
            defer { self.writer = nil }
            return self.writer
        }
        guard let writer else { return true }
        if writer.join(untilMonotonic: deadline) { return true }
        // Stuck in a system call: what it holds and what is still queued will not be written.
        self.status.abandon()
        self.lost.add(self.status.heldRecords + UInt64(self.queue.pendingRecordCount))
        reportToStandardError("the file writer did not finish within the shutdown deadline (a write or sync to \(self.configuration.directory) does not return); \(self.droppedRecords) records were lost in all")
        return false
    }

    /// Like ``shutdown(timeout:)``, until `deadline`.
    @discardableResult
    public func shutdown(deadline: ContinuousClock.Instant) -> Bool {
        self.shutdown(timeout: ContinuousClock.now.duration(to: deadline))
    }

    /// Monotonic nanoseconds `timeout` from now (a negative timeout is now; a huge one, a year).
    static func deadline(after timeout: Duration) -> UInt64 {
        let (seconds, attoseconds) = timeout.components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return monotonicNanoseconds() }
        let clamped = UInt64(min(seconds, 365 * 86_400))
        let nanoseconds = clamped * 1_000_000_000 &+ UInt64(max(attoseconds, 0) / 1_000_000_000)
        return monotonicNanoseconds() &+ nanoseconds
    }
}
