public import SpanLog
import Synchronization

/// Exports log records over OTLP (`OTEL_LOGS_EXPORTER=otlp`). ``export(_:)`` runs on the logging
/// thread: it appends to a bounded queue under a short lock and returns — it never waits for the
/// network. A task sends batches when one is full or the schedule delay has passed; what does
/// not fit in the queue is dropped, counted and reported.
///
/// ```swift
/// let logs = try OTLPLogRecordExporter(
///     configuration: OTLPExporterConfiguration(endpoint: OTLPEndpoint("http://127.0.0.1:4318/v1/logs")!),
///     resource: Resource(serviceName: "api")
/// )
/// let pipeline = LogPipeline(levels: LevelFilter(default: .info), outputs: [], exporters: [logs])
/// ```
public final class OTLPLogRecordExporter: LogRecordExporter {
    /// Batching limits, named after OpenTelemetry's `OTEL_BLRP_*` variables.
    ///
    /// ```swift
    /// let batching = OTLPLogRecordExporter.Batching(scheduleDelay: .milliseconds(200), maxQueueSize: 4096)
    /// ```
    public struct Batching: Sendable, Hashable {
        /// `OTEL_BLRP_SCHEDULE_DELAY`: the longest a record waits before its batch is sent.
        public var scheduleDelay: Duration
        /// `OTEL_BLRP_MAX_QUEUE_SIZE`: records that may wait; more are dropped.
        public var maxQueueSize: Int
        /// `OTEL_BLRP_MAX_EXPORT_BATCH_SIZE`: records per request.
        public var maxExportBatchSize: Int
        /// `OTEL_BLRP_EXPORT_TIMEOUT`: the longest ``OTLPLogRecordExporter/flush()`` and
        /// ``OTLPLogRecordExporter/shutdown()`` wait.
        public var exportTimeout: Duration

        /// OpenTelemetry's defaults: 1 s, 2048, 512, 30 s.
        public init(scheduleDelay: Duration = .seconds(1), maxQueueSize: Int = 2048, maxExportBatchSize: Int = 512, exportTimeout: Duration = .seconds(30)) {
            self.scheduleDelay = scheduleDelay
            self.maxQueueSize = max(1, maxQueueSize)
            self.maxExportBatchSize = max(1, min(maxExportBatchSize, self.maxQueueSize))
            self.exportTimeout = exportTimeout
        }
    }

    private struct State {
        var queue: [OTLPLogEntry] = []
        var dropped = 0
        var flushRequested: UInt64 = 0
        var flushCompleted: UInt64 = 0
        var shuttingDown = false
        var stopped = false
    }

    /// The resource every record is sent with.
    public let resource: Resource
    /// The batching limits.
    public let batching: Batching
    private let client: OTLPExportClient
    private let encoder: Mutex<OTLPRequestEncoder>
    private let state = Mutex(State())
    private let worker = Mutex<Task<Void, Never>?>(nil)

    /// Creates the exporter and starts its batching task.
    ///
    /// - Parameter reporter: receives one line about failures and drops at most every
    ///   `configuration.reportInterval`; by default a warning on the `spanlog.otlp` logger.
    public init(
        configuration: OTLPExporterConfiguration,
        resource: Resource,
        batching: Batching = Batching(),
        reporter: @escaping @Sendable (String) -> Void = OTLPExporterProvider.logWarning
    ) throws {
        let transport = try OTLPExportClient.makeTransport(configuration)
        self.client = OTLPExportClient(configuration: configuration, signal: .logs, transport: transport, reporter: reporter)
        self.encoder = Mutex(OTLPRequestEncoder(format: configuration.protocol == .httpJSON ? .json : .protobuf))
        self.resource = resource
        self.batching = batching
        let task = Task.detached { [self] in await self.run() }
        self.worker.withLock { $0 = task }
    }

    /// The configuration in use.
    public var configuration: OTLPExporterConfiguration { self.client.configuration }

    /// Counters since the exporter started (drops included).
    public var statistics: OTLPExportStatistics {
        var statistics = self.client.statistics
        statistics.droppedItems += UInt64(self.state.withLock { $0.dropped })
        return statistics
    }

    /// Queues the record; never waits. Drops (and counts) it when the queue is full.
    public func export(_ record: LogRecord) {
        let entry = OTLPLogEntry(record: record)
        self.state.withLock { state in
            guard !state.stopped, state.queue.count < self.batching.maxQueueSize else {
                state.dropped += 1
                return
            }
            state.queue.append(entry)
        }
    }

    /// Sends everything queued before the call; returns when done or after the export timeout.
    public func flush() async {
        let ticket = self.state.withLock { state -> UInt64 in
            state.flushRequested += 1
            return state.flushRequested
        }
        let deadline = ContinuousClock.now + self.batching.exportTimeout
        while ContinuousClock.now < deadline {
            if self.state.withLock({ $0.flushCompleted >= ticket || $0.stopped }) { return }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Flushes (within the export timeout), then stops: an export still running at the deadline
    /// is cancelled and what is left in the queue counted as dropped. Later records are dropped.
    public func shutdown() async {
        let deadline = ContinuousClock.now + self.batching.exportTimeout
        self.state.withLock { $0.shuttingDown = true }
        let task = self.worker.withLock { $0 }
        if let task {
            let remaining = deadline - ContinuousClock.now
            if await withTimeout(remaining, { await task.value }) == nil {
                task.cancel()
                _ = await withTimeout(.seconds(1)) { await task.value }
            }
        }
        self.state.withLock { state in
            state.stopped = true
            state.dropped += state.queue.count
            state.queue.removeAll()
        }
        self.moveDropsToClient()
        await self.client.shutdown()
    }

    private func moveDropsToClient() {
        let dropped = self.state.withLock { state -> Int in
            defer { state.dropped = 0 }
            return state.dropped
        }
        if dropped > 0 { self.client.countDropped(dropped) }
    }

    /// The batching loop: looks at the queue every 20 ms (or the schedule delay, if shorter), so
    /// that `export` costs one short lock and no wake-up.
    private func run() async {
        var lastExport = ContinuousClock.now
        let idle = min(self.batching.scheduleDelay, .milliseconds(20))
        while true {
            let now = ContinuousClock.now
            let (batch, ticket, shuttingDown) = self.state.withLock { state -> ([OTLPLogEntry], UInt64, Bool) in
                let due = state.queue.count >= self.batching.maxExportBatchSize
                    || (!state.queue.isEmpty && now - lastExport >= self.batching.scheduleDelay)
                    || state.flushRequested > state.flushCompleted
                    || state.shuttingDown
                guard due else { return ([], 0, false) }
                let count = min(state.queue.count, self.batching.maxExportBatchSize)
                let batch = Array(state.queue.prefix(count))
                state.queue.removeFirst(count)
                return (batch, state.queue.isEmpty ? state.flushRequested : 0, state.shuttingDown)
            }
            self.moveDropsToClient()
            if !batch.isEmpty {
                let body = self.encoder.withLock { $0.encode(batch, resource: self.resource) }
                try? await self.client.export(body, items: batch.count)
                lastExport = ContinuousClock.now
            }
            if ticket > 0 {
                self.state.withLock { $0.flushCompleted = max($0.flushCompleted, ticket) }
            }
            if Task.isCancelled { return }
            if shuttingDown && self.state.withLock({ $0.queue.isEmpty }) { return }
            if batch.isEmpty {
                try? await Task.sleep(for: idle)
            }
        }
    }
}
