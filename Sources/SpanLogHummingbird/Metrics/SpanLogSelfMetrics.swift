public import Prometheus
public import SpanLog
import Synchronization

/// SpanLog's own counters, copied into a Prometheus registry at scrape time (so the hot path
/// pays nothing for them):
///
/// - `spanlog_spans_exported_total`, `spanlog_spans_dropped_total` (the export queue was full)
///   and `spanlog_span_export_failures_total` (spans in batches whose export failed), from the
///   tracer's `BatchSpanProcessor.statistics`;
/// - `spanlog_records_dropped_total{sink="console"|"file"}`, from the sinks' drop counts.
///
/// ```swift
/// let selfMetrics = SpanLogSelfMetrics(telemetry: telemetry, registry: registry)
/// selfMetrics.update()                // e.g. in the /metrics handler
/// print(registry.emitToString())
/// ```
public final class SpanLogSelfMetrics: Sendable {
    private struct Source: @unchecked Sendable {
        // Read-only references to thread-safe SpanLog objects.
        let processor: BatchSpanProcessor?
        let consoleSinks: [ConsoleSink]
        let fileSinks: [RotatingGzipFileSink]
    }

    private struct Published {
        var exported: UInt64 = 0
        var dropped: UInt64 = 0
        var failed: UInt64 = 0
        var consoleDropped: UInt64 = 0
        var fileDropped: UInt64 = 0
    }

    private let source: Source
    private let exported: Prometheus.Counter
    private let dropped: Prometheus.Counter
    private let failed: Prometheus.Counter
    private let consoleDropped: Prometheus.Counter
    private let fileDropped: Prometheus.Counter
    private let published = Mutex(Published())

    /// Reads the counters of `tracer` and of the sinks of `pipeline` into `registry`.
    public init(registry: PrometheusCollectorRegistry, tracer: SpanLogTracer?, pipeline: LogPipeline?) {
        let sinks = pipeline?.outputs.flatMap(\.sinks) ?? []
        var consoleSinks: [ConsoleSink] = []
        var fileSinks: [RotatingGzipFileSink] = []
        for sink in sinks {
            if let console = sink as? ConsoleSink, !consoleSinks.contains(where: { $0 === console }) { consoleSinks.append(console) }
            if let file = sink as? RotatingGzipFileSink, !fileSinks.contains(where: { $0 === file }) { fileSinks.append(file) }
        }
        self.source = Source(processor: tracer?.processor, consoleSinks: consoleSinks, fileSinks: fileSinks)
        func counter(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "spanlog", metricName: name, unitName: "total", helpText: help)
        }
        self.exported = registry.makeCounter(descriptor: counter("spans_exported", "Spans handed to the span exporter."))
        self.dropped = registry.makeCounter(descriptor: counter("spans_dropped", "Spans dropped because the export queue was full."))
        self.failed = registry.makeCounter(descriptor: counter("span_export_failures", "Spans in batches whose export failed or timed out."))
        let records = counter("records_dropped", "Log and span records a sink dropped (full queue with the drop policy, outage, or after shutdown).")
        self.consoleDropped = registry.makeCounter(descriptor: records, labels: [("sink", "console")])
        self.fileDropped = registry.makeCounter(descriptor: records, labels: [("sink", "file")])
    }

    /// Reads the counters of a ``Telemetry``'s tracer and log pipeline into `registry`.
    public convenience init(telemetry: Telemetry, registry: PrometheusCollectorRegistry) {
        self.init(registry: registry, tracer: telemetry.tracer, pipeline: telemetry.logPipeline)
    }

    /// Brings the Prometheus counters up to date; call it just before emitting the registry.
    public func update() {
        let statistics = self.source.processor?.statistics
        let consoleDropped = self.source.consoleSinks.reduce(UInt64(0)) { $0 + $1.droppedRecords }
        let fileDropped = self.source.fileSinks.reduce(UInt64(0)) { $0 + $1.droppedRecords }
        self.published.withLock { published in
            Self.advance(self.exported, from: &published.exported, to: statistics?.exported ?? 0)
            Self.advance(self.dropped, from: &published.dropped, to: statistics?.dropped ?? 0)
            Self.advance(self.failed, from: &published.failed, to: statistics?.failed ?? 0)
            Self.advance(self.consoleDropped, from: &published.consoleDropped, to: consoleDropped)
            Self.advance(self.fileDropped, from: &published.fileDropped, to: fileDropped)
        }
    }

    private static func advance(_ counter: Prometheus.Counter, from published: inout UInt64, to current: UInt64) {
        guard current > published else { return }
        counter.increment(by: Int64(clamping: current - published))
        published = current
    }
}
