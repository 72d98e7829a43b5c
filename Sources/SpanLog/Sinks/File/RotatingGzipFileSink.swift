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
public final class RotatingGzipFileSink: LogSink, @unchecked Sendable {
    /// The configuration in use (out-of-range values already clamped).
    public let configuration: Configuration

    private let queue: RecordQueue
    private let lost = LostRecordCounter()
    private let stateLock = ConditionLock()
    private var writer: WriterThread?  // guarded by stateLock

    /// Starts a sink and its writer thread. Nothing is written until the first flush window
    /// ends; problems with the directory are reported on standard error, and retried, then.
    ///
    /// - Parameters:
    ///   - configuration: where and how to write.
    ///   - clock: the wall clock used for file names, time rotation and retention (inject one in
    ///     tests); the flush interval runs on the monotonic clock.
    public init(configuration: Configuration, clock: @escaping @Sendable () -> RecordTime = { RecordTime.now() }) {
        let configuration = configuration.normalized
        self.configuration = configuration
        // The writer gathers records for up to 2 ms (half the flush interval if that is shorter)
        // before compressing them: one wake-up per batch, not per record. While a gzip member is
        // open it sleeps until the member's flush window ends (by which it writes the member
        // anyway) unless volume, a flush or shutdown wakes it earlier.
        self.queue = RecordQueue(
            capacityBytes: configuration.queueBytes,
            policy: configuration.queuePolicy,
            lingerNanoseconds: min(2_000_000, UInt64(configuration.flushIntervalMilliseconds) * 500_000),
            waitsForDeadline: true
        )
        let writer = RotatingGzipFileWriter(configuration: configuration, clock: clock, queue: self.queue, lost: self.lost)
        self.writer = WriterThread(name: "spanlog-file") { writer.run() }
    }

    deinit {
        self.shutdown()
    }

    /// Records dropped so far: by the `drop` policy, during an outage that outlasted the
    /// blocking limit, or written after ``shutdown()``.
    public var droppedRecords: UInt64 { self.queue.droppedCount + self.lost.value }

    public func write(_ record: UnsafeRawBufferPointer) {
        if case .closed = self.queue.enqueue(record) {
            self.lost.add(1)
        }
    }

    /// Returns once every record written before the call is in a file as a whole gzip member
    /// (or, during an outage, once the outage limit has passed).
    public func flush() {
        self.queue.flush()
    }

    /// Like ``flush()``; with `fsync` the file is also synced to stable storage, so the records
    /// survive a machine crash, not just a process crash.
    ///
    /// ```swift
    /// sink.flush(fsync: true)  // e.g. before acknowledging a payment
    /// ```
    public func flush(fsync: Bool) {
        self.queue.flush(durable: fsync)
    }

    /// Drains the queue, writes the last member and closes the file. Records written afterwards
    /// are counted in ``droppedRecords``. Waits at most the outage limit if the disk is failing.
    public func shutdown() {
        self.queue.close()
        let writer = self.stateLock.withLock { () -> WriterThread? in
            defer { self.writer = nil }
            return self.writer
        }
        writer?.join()
    }
}
