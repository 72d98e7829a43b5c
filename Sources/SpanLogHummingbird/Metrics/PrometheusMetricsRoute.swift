public import Hummingbird
public import Prometheus
public import SpanLog

/// The `/metrics` route: the registry in Prometheus text exposition format (version 0.0.4),
/// with SpanLog's own counters brought up to date at each scrape.
///
/// ```swift
/// let telemetry = Telemetry.bootstrap()           // TELEMETRY_BACKEND=prom or hybrid
/// router.addMetricsRoute(telemetry: telemetry)     // GET /metrics
/// ```
extension RouterMethods {
    /// Adds `GET path` answering with `registry`'s metrics (and `selfMetrics`, when given).
    @discardableResult
    public func addMetricsRoute(
        _ path: RouterPath = "/metrics",
        registry: PrometheusCollectorRegistry,
        selfMetrics: SpanLogSelfMetrics? = nil
    ) -> Self {
        self.get(path) { _, _ -> Response in
            selfMetrics?.update()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(4096)
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }

    /// Adds `GET path` with a ``Telemetry``'s metrics registry and SpanLog's own counters; without
    /// a registry (telemetry off, or the `otel` backend) the route answers 404.
    @discardableResult
    public func addMetricsRoute(_ path: RouterPath = "/metrics", telemetry: Telemetry) -> Self {
        guard let registry = telemetry.metricsRegistry else {
            return self.get(path) { _, _ -> Response in Response(status: .notFound) }
        }
        return self.addMetricsRoute(path, registry: registry, selfMetrics: SpanLogSelfMetrics(telemetry: telemetry, registry: registry))
    }
}
