/// Sends collected metrics somewhere: an OTLP collector, the console, a test. The periodic
/// metric reader calls `export` from its own task, one snapshot at a time, each bounded by
/// `OTEL_METRIC_EXPORT_TIMEOUT`; throwing counts the export as failed.
///
/// ```swift
/// struct PrintingMetricExporter: MetricExporter {
///     func export(_ snapshot: MetricsSnapshot) async throws {
///         for metric in snapshot.metrics { print(metric.name, metric.points.count) }
///     }
/// }
/// ```
public protocol MetricExporter: Sendable {
    /// The temporality this exporter wants for sums and histograms; `nil` leaves it to the
    /// configuration (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`).
    var preferredTemporality: MetricTemporality? { get }
    /// Exports one snapshot.
    func export(_ snapshot: MetricsSnapshot) async throws
    /// Flushes and releases resources within `timeout`; no `export` follows.
    func shutdown(timeout: Duration) async
}

extension MetricExporter {
    public var preferredTemporality: MetricTemporality? { nil }
    public func shutdown(timeout: Duration) async {}
}
