/// The kinds of telemetry the exporter sends, each to its own path and gRPC service.
///
/// ```swift
/// print(OTLPSignal.metrics.httpPath)  // /v1/metrics
/// ```
public enum OTLPSignal: String, Sendable, Hashable, CaseIterable {
    /// Spans: `/v1/traces`, `opentelemetry.proto.collector.trace.v1.TraceService`.
    case traces
    /// Log records: `/v1/logs`, `opentelemetry.proto.collector.logs.v1.LogsService`.
    case logs
    /// Metric data points: `/v1/metrics`, `opentelemetry.proto.collector.metrics.v1.MetricsService`.
    case metrics

    /// The OTLP/HTTP path.
    public var httpPath: String {
        switch self {
        case .traces: "/v1/traces"
        case .logs: "/v1/logs"
        case .metrics: "/v1/metrics"
        }
    }

    /// The fully qualified gRPC service whose `Export` method takes this signal.
    public var grpcService: String {
        switch self {
        case .traces: "opentelemetry.proto.collector.trace.v1.TraceService"
        case .logs: "opentelemetry.proto.collector.logs.v1.LogsService"
        case .metrics: "opentelemetry.proto.collector.metrics.v1.MetricsService"
        }
    }

    /// The upper-case name in per-signal variables: `TRACES`, `LOGS` or `METRICS`.
    var variableInfix: String {
        switch self {
        case .traces: "TRACES"
        case .logs: "LOGS"
        case .metrics: "METRICS"
        }
    }

    /// What the signal's items are called in reports: spans, log records, data points.
    var itemNoun: String {
        switch self {
        case .traces: "spans"
        case .logs: "log records"
        case .metrics: "data points"
        }
    }
}
