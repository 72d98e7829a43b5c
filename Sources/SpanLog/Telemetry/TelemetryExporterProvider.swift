/// Makes exporters that live outside the core module (OTLP over HTTP or gRPC), so that
/// `Telemetry` can honour `OTEL_EXPORTER=otlp` without SpanLog depending on an HTTP stack.
///
/// Without a provider, `OTEL_EXPORTER=otlp` falls back to the console with one warning (the
/// seed's "opentelemetry not installed").
///
/// ```swift
/// let telemetry = Telemetry.bootstrap(.fromEnvironment(), exporters: OTLPExporterProvider())
/// ```
public protocol TelemetryExporterProvider: Sendable {
    /// The span exporter for `configuration` (its endpoint is set), or `nil` after calling
    /// `warn` with the reason.
    func makeSpanExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any SpanExporter)?
    /// The log exporter, when the configuration asks for log export (`OTEL_LOGS_EXPORTER`);
    /// `nil` otherwise.
    func makeLogExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any LogRecordExporter)?
    /// The metric exporter, when `OTEL_METRICS_EXPORTER` lists `otlp`; `nil` after calling `warn`
    /// with the reason (or when this provider exports no metrics: the default).
    func makeMetricExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any MetricExporter)?
}

extension TelemetryExporterProvider {
    /// No metric exporter.
    public func makeMetricExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any MetricExporter)? {
        nil
    }
}
