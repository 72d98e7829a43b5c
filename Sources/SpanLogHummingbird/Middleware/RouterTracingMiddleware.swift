public import Hummingbird
public import SpanLog

/// Adding the tracing middleware from a ``Telemetry``, so that telemetry off costs nothing.
///
/// With telemetry off (no tracer and no metrics) this adds no middleware at all, so
/// requests do not pass through one more layer of the router's chain; otherwise it adds
/// ``SpanLogTracingMiddleware`` made with ``SpanLogTracingMiddleware/init(telemetry:responseHeaders:scheme:)``.
///
/// ```swift
/// let telemetry = Telemetry.bootstrap()                 // TELEMETRY_ENABLED=false: nothing is added
/// router.addTracingMiddleware(telemetry: telemetry)     // http.server spans, W3C context, X-Trace-Id
/// ```
extension RouterMethods {
    /// Adds ``SpanLogTracingMiddleware`` for `telemetry`, or nothing when telemetry is off.
    @discardableResult
    public func addTracingMiddleware(
        telemetry: Telemetry,
        responseHeaders: ResponseTraceHeaders = SpanLogTracingMiddleware<Context>.defaultResponseHeaders,
        scheme: String = "http"
    ) -> Self {
        guard telemetry.tracer != nil || telemetry.metricsFactory != nil else { return self }
        return self.add(middleware: SpanLogTracingMiddleware<Context>(telemetry: telemetry, responseHeaders: responseHeaders, scheme: scheme))
    }
}
