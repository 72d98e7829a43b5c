import Synchronization

/// Batches finished spans for an exporter: a bounded queue that span ends append to without ever
/// waiting, and one task that exports a batch when it is full or when the schedule delay passes.
/// What does not fit is dropped and counted. The defaults are OpenTelemetry's (`OTEL_BSP_*`).
///
/// ```swift
/// let processor = BatchSpanProcessor(exporter: ConsoleSpanExporter(), configuration: .init(scheduleDelayMilliseconds: 500))
/// ```
public final class BatchSpanProcessor: Sendable {
    /// Batching limits, named after the OpenTelemetry variables that set them.
    public struct Configuration: Sendable, Hashable {
        /// `OTEL_BSP_SCHEDULE_DELAY`: the longest a span waits before its batch is exported.
        public var scheduleDelayMilliseconds: Int
        /// `OTEL_BSP_MAX_QUEUE_SIZE`: spans that may wait; more are dropped.
        public var maxQueueSize: Int
        /// `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`: spans per `export` call.
        public var maxExportBatchSize: Int
        /// `OTEL_BSP_EXPORT_TIMEOUT`: the longest one `export` call may take.
        public var exportTimeoutMilliseconds: Int

        /// OpenTelemetry's defaults: 5000 ms, 2048, 512, 30000 ms.
        public init(
            scheduleDelayMilliseconds: Int = 5000,
            maxQueueSize: Int = 2048,
            maxExportBatchSize: Int = 512,
            exportTimeoutMilliseconds: Int = 30000
        ) {
            self.scheduleDelayMilliseconds = scheduleDelayMilliseconds
            self.maxQueueSize = max(1, maxQueueSize)
            self.maxExportBatchSize = max(1, min(maxExportBatchSize, self.maxQueueSize))
            self.exportTimeoutMilliseconds = exportTimeoutMilliseconds
        }
    }

    /// Counters since the processor started.
    public struct Statistics: Sendable, Hashable {
        /// Spans handed to `export` calls that returned.
        public var exported: UInt64 = 0
        /// Spans dropped because the queue was full.
        public var dropped: UInt64 = 0
        /// Spans in batches whose `export` threw or timed out.
        public var failed: UInt64 = 0
    }

    private struct State {
        var queue: [SpanRecord] = []
        /// Spans the export task has taken from the queue and not yet exported; they count
        /// against `maxQueueSize` until they are.
        var taken = 0
        var statistics = Statistics()
        var flushRequested: UInt64 = 0
        var flushCompleted: UInt64 = 0
        var shuttingDown = false
        var stopped = false
    }

    /// The exporter batches go to.
    public let exporter: any SpanExporter
    /// The limits.
    public let configuration: Configuration
    private let state = Mutex(State())
    private let completion = ConditionLock()
    private let reporter: @Sendable (String) -> Void
    private let worker = Mutex<Task<Void, Never>?>(nil)

    /// Creates the processor and starts its export task.
    ///
    /// - Parameter reporter: receives one line about drops and failures, at most every ten
    ///   seconds (the tracer logs it as a warning record).
    public init(
        exporter: any SpanExporter,
        configuration: Configuration = Configuration(),
        reporter: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.exporter = exporter
        self.configuration = configuration
        self.reporter = reporter
        let task = Task.detached { [self] in await self.run() }
        self.worker.withLock { $0 = task }
    }

    /// Queues a finished span; never waits. Returns `false` if it was dropped.
    @discardableResult
    public func enqueue(_ span: SpanRecord) -> Bool {
        self.state.withLock { state in
            guard !state.stopped, state.queue.count + state.taken < self.configuration.maxQueueSize else {
                state.statistics.dropped += 1
                return false
            }
            state.queue.append(span)
            return true
        }
    }

    /// The counters so far.
    public var statistics: Statistics { self.state.withLock { $0.statistics } }

    /// Exports everything queued before the call; returns when done or when `timeout` passed.
    public func forceFlush(timeoutMilliseconds: Int? = nil) async {
        let ticket = self.state.withLock { state -> UInt64 in
            state.flushRequested += 1
            return state.flushRequested
        }
        let deadline = monotonicNanoseconds() + UInt64(timeoutMilliseconds ?? self.configuration.exportTimeoutMilliseconds) * 1_000_000
        while monotonicNanoseconds() < deadline {
            let done = self.state.withLock { $0.flushCompleted >= ticket || $0.stopped }
            if done { break }
            try? await Task.sleep(for: .milliseconds(2))
        }
        await self.exporter.forceFlush()
    }

    /// Exports what is queued (within `timeout`), then stops; later spans are dropped.
    public func shutdown(timeoutMilliseconds: Int? = nil) async {
        await self.forceFlush(timeoutMilliseconds: timeoutMilliseconds)
        self.state.withLock { $0.shuttingDown = true }
        let task = self.worker.withLock { $0 }
        await task?.value
        await self.exporter.shutdown()
    }

    /// The export loop. It looks at the queue every 20 ms (or the schedule delay, if shorter)
    /// rather than being woken per span, so that a span's end costs one short lock and nothing
    /// else; a flush therefore waits at most that long before its batch starts. It takes the
    /// whole queue at once by swapping it for an empty array (so span ends never wait behind a
    /// copy), and exports what it took in batches of `maxExportBatchSize`.
    private func run() async {
        var lastExport = monotonicNanoseconds()
        var lastReport: UInt64 = 0
        var reported = Statistics()
        let delay = UInt64(max(self.configuration.scheduleDelayMilliseconds, 0)) * 1_000_000
        let idleSleep = max(1, min(self.configuration.scheduleDelayMilliseconds, 20))
        let batchSize = self.configuration.maxExportBatchSize
        // The array the queue is swapped with; its capacity is reused from round to round.
        var spare: [SpanRecord] = []
        while true {
            let now = monotonicNanoseconds()
            let (flushTicket, shuttingDown) = self.state.withLock { state -> (UInt64, Bool) in
                let due = state.queue.count >= batchSize
                    || (!state.queue.isEmpty && now &- lastExport >= delay)
                    || state.flushRequested > state.flushCompleted
                    || state.shuttingDown
                guard due else { return (0, false) }
                swap(&state.queue, &spare)
                state.taken = spare.count
                // A flush completes once what it saw has been exported.
                return (state.flushRequested, state.shuttingDown)
            }
            var exportedAny = false
            var offset = 0
            while offset < spare.count {
                let end = min(offset + batchSize, spare.count)
                let batch = Array(spare[offset..<end])
                let ok = await self.exportWithTimeout(batch)
                self.state.withLock { state in
                    if ok { state.statistics.exported += UInt64(batch.count) } else { state.statistics.failed += UInt64(batch.count) }
                    state.taken -= batch.count
                }
                offset = end
                exportedAny = true
            }
            spare.removeAll(keepingCapacity: true)
            if exportedAny { lastExport = monotonicNanoseconds() }
            if flushTicket > 0 {
                self.state.withLock { $0.flushCompleted = max($0.flushCompleted, flushTicket) }
            }
            let statistics = self.statistics
            if (statistics.dropped != reported.dropped || statistics.failed != reported.failed)
                && monotonicNanoseconds() &- lastReport >= 10_000_000_000
            {
                self.reporter(
                    "span export: \(statistics.dropped - reported.dropped) spans dropped (queue full, OTEL_BSP_MAX_QUEUE_SIZE=\(self.configuration.maxQueueSize)) and \(statistics.failed - reported.failed) failed to export since the last report; \(statistics.exported) exported in all"
                )
                reported = statistics
                lastReport = monotonicNanoseconds()
            }
            // Checking and stopping under one lock: a span queued in between would be accepted
            // and never exported.
            if shuttingDown && self.state.withLock({ state in
                guard state.queue.isEmpty else { return false }
                state.stopped = true
                return true
            }) {
                return
            }
            if !exportedAny {
                try? await Task.sleep(for: .milliseconds(idleSleep))
            }
        }
    }

    /// Runs `export` in its own task and stops waiting after the export timeout, so that an
    /// exporter that ignores cancellation cannot stall the loop (its task is cancelled and left
    /// to finish on its own).
    private func exportWithTimeout(_ batch: [SpanRecord]) async -> Bool {
        let exporter = self.exporter
        let timeout = self.configuration.exportTimeoutMilliseconds
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let pending = OneShot(continuation)
            let exportTask = Task {
                let ok: Bool
                do {
                    try await exporter.export(batch)
                    ok = true
                } catch {
                    ok = false
                }
                pending.take()?.resume(returning: ok)
            }
            Task {
                try? await Task.sleep(for: .milliseconds(timeout))
                if let continuation = pending.take() {
                    exportTask.cancel()
                    continuation.resume(returning: false)
                }
            }
        }
    }
}

/// A continuation that exactly one of several racers may take and resume.
private final class OneShot: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = Mutex(continuation)
    }

    func take() -> CheckedContinuation<Bool, Never>? {
        self.continuation.withLock { $0.take() }
    }
}
