/// Batches finished spans for an exporter: a bounded queue that span ends append to without ever
/// waiting, and one task that exports a batch when it is full or when the schedule delay passes
/// (both are a `BatchQueue`'s, Support/BatchQueue.swift). What does not fit is dropped and
/// counted. The defaults are OpenTelemetry's (`OTEL_BSP_*`).
///
/// ```swift
/// let tracer = SpanLogTracer(configuration: .init(batching: .init(scheduleDelayMilliseconds: 500)),
///                            exporter: ConsoleSpanExporter())
/// await tracer.processor?.forceFlush()
/// print(tracer.processor?.statistics.dropped ?? 0)
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
        /// The most bytes of spans (an estimate of their strings and values) that may wait; a span that
        /// would go over is dropped. OpenTelemetry has no variable for it.
        public var maxQueueBytes: Int

        /// OpenTelemetry's defaults: 5000 ms, 2048, 512, 30000 ms; and 64 MiB.
        public init(
            scheduleDelayMilliseconds: Int = 5000,
            maxQueueSize: Int = 2048,
            maxExportBatchSize: Int = 512,
            exportTimeoutMilliseconds: Int = 30000,
            maxQueueBytes: Int = 64 << 20
        ) {
            self.maxQueueBytes = max(1, maxQueueBytes)
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
        /// Spans dropped because the queue was full (or the processor shut down), or left
        /// unexported when shutdown's deadline passed.
        public var dropped: UInt64 = 0
        /// Spans in batches whose `export` threw or timed out.
        public var failed: UInt64 = 0
    }

    /// The exporter batches go to.
    public let exporter: any SpanExporter
    /// The limits.
    public let configuration: Configuration
    private let queue: BatchQueue<SpanRecord>

    /// Creates the processor and starts its export task.
    ///
    /// - Parameter reporter: receives one line about drops and failures, at most every ten
    ///   seconds and once more at shutdown (the tracer logs it as a warning record).
    package init(
        exporter: any SpanExporter,
        configuration: Configuration = Configuration(),
        reporter: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.exporter = exporter
        self.configuration = configuration
        let maxQueueSize = configuration.maxQueueSize
        let maxQueueBytes = configuration.maxQueueBytes
        self.queue = BatchQueue(
            configuration: .init(
                capacity: configuration.maxQueueSize,
                byteCapacity: configuration.maxQueueBytes,
                maxBatchSize: configuration.maxExportBatchSize,
                scheduleDelay: .milliseconds(configuration.scheduleDelayMilliseconds),
                exportTimeout: .milliseconds(configuration.exportTimeoutMilliseconds)
            ),
            report: { lost, total in
                reporter(
                    "span export: \(lost.dropped) spans dropped (queue full at OTEL_BSP_MAX_QUEUE_SIZE=\(maxQueueSize) spans or \(maxQueueBytes) bytes, or shut down) and \(lost.failed) failed to export since the last report; \(total.exported) exported in all"
                )
            },
            export: { batch in try await exporter.export(batch) }
        )
    }

    /// Queues a finished span; never waits. Returns `false` if it was dropped.
    @discardableResult
    package func enqueue(_ span: SpanRecord) -> Bool {
        self.queue.enqueue(span, bytes: span.estimatedByteCount)
    }

    /// The counters so far.
    public var statistics: Statistics {
        let counters = self.queue.statistics
        return Statistics(exported: counters.exported, dropped: counters.dropped, failed: counters.failed)
    }

    /// Exports everything queued before the call; returns when done or when `timeout` passed.
    public func forceFlush(timeoutMilliseconds: Int? = nil) async {
        await self.queue.forceFlush(timeout: .milliseconds(timeoutMilliseconds ?? self.configuration.exportTimeoutMilliseconds))
        await self.exporter.forceFlush()
    }

    /// Exports what is queued, then stops; later spans are dropped. At `timeout` the export
    /// still running is cancelled and what was not exported is counted as dropped.
    public func shutdown(timeoutMilliseconds: Int? = nil) async {
        await self.queue.shutdown(timeout: .milliseconds(timeoutMilliseconds ?? self.configuration.exportTimeoutMilliseconds))
        await self.exporter.forceFlush()
        await self.exporter.shutdown()
    }
}
