public import Logging
public import SpanLog
// Records are read back as SpanLogReader's `LogLine`s; its names come with this module.
@_exported public import SpanLogReader

/// A tracer and loggers that write to memory: what a test of code that logs and traces needs,
/// without `Telemetry.bootstrap` (whose global bootstraps may run once per process), so tests run
/// in parallel without sharing state. Spans are head-sampled, written as span records and
/// exported to ``exporter`` (call ``flush()`` before reading it).
///
/// ```swift
/// let telemetry = InMemoryTelemetry()
/// let logger = telemetry.logger(label: "checkout")
/// telemetry.tracer.withSpan("place-order") { _ in logger.info("order placed") }
/// let log = telemetry.logs.first { $0.message == "order placed" }
/// #expect(log?.traceID == telemetry.spans.first?.traceID)
/// await telemetry.shutdown()
/// ```
public struct InMemoryTelemetry: Sendable {
    /// Receives every record, encoded as SpanLog writes it to its files.
    public let sink: InMemorySink
    /// The pipeline the loggers and the tracer write through.
    public let pipeline: LogPipeline
    /// Receives the exported spans.
    public let exporter: InMemorySpanExporter
    /// The tracer; pass it explicitly (`telemetry.tracer.withSpan(…)`) or to the code under test.
    public let tracer: SpanLogTracer

    /// Creates the tracer and pipeline; `sampler` decides which spans are sampled (all, by default).
    public init(
        serviceName: String = "test-service",
        sampler: any SpanLogSampler = ConstantSampler(.recordAndSample),
        levels: LevelFilter = LevelFilter(default: .trace)
    ) {
        let sink = InMemorySink()
        let pipeline = LogPipeline(levels: levels, sinks: [sink])
        let exporter = InMemorySpanExporter()
        self.sink = sink
        self.pipeline = pipeline
        self.exporter = exporter
        self.tracer = SpanLogTracer(
            configuration: SpanLogTracer.Configuration(
                resource: SpanLogResource(serviceName: serviceName),
                sampler: sampler,
                batching: BatchSpanProcessor.Configuration(scheduleDelayMilliseconds: 10)
            ),
            logPipeline: pipeline,
            exporter: exporter
        )
    }

    /// Waits until every span ended so far has been exported to ``exporter`` (without blocking a
    /// thread, unlike `Tracer.forceFlush()`).
    public func flush() async {
        await self.tracer.processor?.forceFlush()
    }

    /// Exports what is left and stops the tracer's export task; call it when the test is done
    /// with the telemetry (later spans are written but no longer exported).
    public func shutdown() async {
        await self.tracer.processor?.shutdown()
    }

    /// A logger whose records go to ``sink``.
    public func logger(label: String) -> Logger {
        let pipeline = self.pipeline
        return Logger(label: label) { SpanLogHandler(label: $0, pipeline: pipeline) }
    }

    /// Every record written so far (logs and spans), parsed, in write order.
    public var records: [LogLine] {
        self.sink.lines.compactMap { try? LogLine(text: $0) }
    }

    /// The log records written so far.
    public var logs: [LogLine] { self.records.filter { $0.string("record") == "log" } }

    /// The span records written so far.
    public var spans: [LogLine] { self.records.filter { $0.string("record") == "span" } }
}
