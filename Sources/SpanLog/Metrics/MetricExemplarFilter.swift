/// Which recorded values may become exemplars (`OTEL_METRICS_EXEMPLAR_FILTER`).
///
/// SpanLog's exemplars always name a span (``MetricExemplar`` carries its ids), so a value
/// recorded outside any span never becomes one, whatever the filter says.
///
/// ```swift
/// var configuration = SpanLogMetricsFactory.Configuration()
/// configuration.exemplarFilter = .alwaysOff   // no exemplars, no span context read per record
/// ```
public enum MetricExemplarFilter: String, Sendable, Hashable, CaseIterable {
    /// Values recorded inside a sampled span (the default).
    case traceBased = "trace_based"
    /// Values recorded inside any span, sampled or not.
    case alwaysOn = "always_on"
    /// None.
    case alwaysOff = "always_off"

    /// The span a value recorded now would link to, or `nil` when the filter leaves it out.
    /// Reads the current span context (a task-local, then the per-thread cache); no clock.
    @inline(__always)
    func spanContextForExemplar() -> SpanContext? {
        switch self {
        case .alwaysOff:
            return nil
        case .traceBased:
            guard let context = SpanContext.current, context.isSampled else { return nil }
            return context
        case .alwaysOn:
            guard let context = SpanContext.current, context.traceID.isValid else { return nil }
            return context
        }
    }
}
