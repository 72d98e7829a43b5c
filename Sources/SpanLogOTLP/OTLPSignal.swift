/// The kinds of telemetry the exporter sends, each to its own path and gRPC service.
///
/// ```swift
/// print(OTLPSignal.logs.httpPath)  // /v1/logs
/// ```
public enum OTLPSignal: String, Sendable, Hashable, CaseIterable {
    /// Spans: `/v1/traces`, `opentelemetry.proto.collector.trace.v1.TraceService`.
    case traces
    /// Log records: `/v1/logs`, `opentelemetry.proto.collector.logs.v1.LogsService`.
    case logs

    /// The OTLP/HTTP path.
    public var httpPath: String { self == .traces ? "/v1/traces" : "/v1/logs" }

    /// The fully qualified gRPC service whose `Export` method takes this signal.
    public var grpcService: String {
        self == .traces ? "opentelemetry.proto.collector.trace.v1.TraceService" : "opentelemetry.proto.collector.logs.v1.LogsService"
    }

    /// The upper-case name in per-signal variables: `TRACES` or `LOGS`.
    var variableInfix: String { self == .traces ? "TRACES" : "LOGS" }
}
