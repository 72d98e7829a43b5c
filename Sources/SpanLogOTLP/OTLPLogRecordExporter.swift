public import SpanLog
import Synchronization

/// Exports log records over OTLP (`OTEL_LOGS_EXPORTER=otlp`). ``export(_:)`` runs on the logging
/// thread: it appends to a bounded queue under a short lock and returns — it never waits for the
/// network. A task sends batches when one is full or the schedule delay has passed; what does
/// not fit in the queue is dropped, counted and reported. The queue and its task are SpanLog's
/// `BatchQueue`, the batch span processor's too.
///
/// ```swift
/// let logs = try OTLPLogRecordExporter(
///     configuration: OTLPExporterConfiguration(endpoint: OTLPEndpoint("http://127.0.0.1:4318/v1/logs")!),
///     resource: SpanLogResource(serviceName: "api")
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
        /// `OTEL_BLRP_MAX_QUEUE_SIZE`: records that may wait or be in a request being sent;
        /// more are dropped.
        public var maxQueueSize: Int
        /// `OTEL_BLRP_MAX_EXPORT_BATCH_SIZE`: records per request.
        public var maxExportBatchSize: Int
        /// `OTEL_BLRP_EXPORT_TIMEOUT`: the longest ``OTLPLogRecordExporter/flush()`` and
        /// ``OTLPLogRecordExporter/shutdown()`` wait.
        public var exportTimeout: Duration
        /// The most bytes of records (an estimate of their strings and values) that may wait; a
        /// record that would go over is dropped. OpenTelemetry has no variable for it.
        public var maxQueueBytes: Int

        /// OpenTelemetry's defaults: 1 s, 2048, 512, 30 s; and 64 MiB.
        public init(
            scheduleDelay: Duration = .seconds(1), maxQueueSize: Int = 2048, maxExportBatchSize: Int = 512, exportTimeout: Duration = .seconds(30),
            maxQueueBytes: Int = 64 << 20
        ) {
            self.maxQueueBytes = max(1, maxQueueBytes)
            self.scheduleDelay = scheduleDelay
            self.maxQueueSize = max(1, maxQueueSize)
            self.maxExportBatchSize = max(1, min(maxExportBatchSize, self.maxQueueSize))
            self.exportTimeout = exportTimeout
        }
    }

    /// The resource every record is sent with.
    public let resource: SpanLogResource
    /// The batching limits.
    public let batching: Batching
    private let client: OTLPExportClient
    private let queue: BatchQueue<OTLPLogEntry>

    /// Creates the exporter and starts its batching task.
    ///
    /// - Parameter reporter: receives one line about failures and drops at most every
    ///   `configuration.reportInterval`; by default a warning on the `spanlog.otlp` logger.
    public init(
        configuration: OTLPExporterConfiguration,
        resource: SpanLogResource,
        batching: Batching = Batching(),
        reporter: @escaping @Sendable (String) -> Void = OTLPExporterProvider.logWarning
    ) throws {
        let transport = try OTLPExportClient.makeTransport(configuration)
        let client = OTLPExportClient(configuration: configuration, signal: .logs, transport: transport, reporter: reporter)
        let encoder = LogRequestEncoder(format: configuration.protocol == .httpJSON ? .json : .protobuf, resource: resource)
        self.client = client
        self.resource = resource
        self.batching = batching
        self.queue = BatchQueue(
            configuration: .init(
                capacity: batching.maxQueueSize,
                byteCapacity: batching.maxQueueBytes,
                maxBatchSize: batching.maxExportBatchSize,
                scheduleDelay: batching.scheduleDelay,
                // The client keeps `configuration.timeout` itself, retries included; this is
                // only the backstop for a transport that does not.
                exportTimeout: configuration.timeout + .seconds(1),
                // The client reports (at most every `configuration.reportInterval`): it is told
                // about each drop at once.
                reportInterval: .zero
            ),
            report: { lost, _ in
                if lost.dropped > 0 { client.countDropped(Int(lost.dropped)) }
            },
            export: { batch in
                try await client.export(encoder.encode(batch), items: batch.count)
            }
        )
    }

    /// The configuration in use.
    public var configuration: OTLPExporterConfiguration { self.client.configuration }

    /// Counters since the exporter started (drops included).
    public var statistics: OTLPExportStatistics {
        var statistics = self.client.statistics
        // The client has been told of some of them; the queue counts all.
        statistics.droppedItems = self.queue.statistics.dropped
        return statistics
    }

    /// Queues the record; never waits. Drops (and counts) it when the queue is full.
    public func export(_ record: LogRecord) {
        self.queue.enqueue(OTLPLogEntry(record: record), bytes: record.estimatedByteCount)
    }

    /// Sends everything queued before the call; returns when done or after the export timeout.
    public func flush() async {
        await self.queue.forceFlush(timeout: self.batching.exportTimeout)
    }

    /// Flushes (within the export timeout), then stops: an export still running at the deadline
    /// is cancelled and what is left in the queue counted as dropped. Later records are dropped.
    public func shutdown() async {
        await self.shutdown(timeout: self.batching.exportTimeout)
    }

    /// Like ``shutdown()``, within `timeout` (or the export timeout, if shorter).
    public func shutdown(timeout: Duration) async {
        await self.queue.shutdown(timeout: min(timeout, self.batching.exportTimeout))
        await self.client.shutdown()
    }
}

/// The request encoder of a log exporter's batches, with their resource; used by its export task,
/// one batch at a time.
private final class LogRequestEncoder: Sendable {
    private let encoder: Mutex<OTLPRequestEncoder>
    private let resource: SpanLogResource

    init(format: OTLPRequestEncoder.Format, resource: SpanLogResource) {
        self.encoder = Mutex(OTLPRequestEncoder(format: format))
        self.resource = resource
    }

    func encode(_ batch: [OTLPLogEntry]) -> [UInt8] {
        self.encoder.withLock { $0.encode(batch, resource: self.resource) }
    }
}
