/// Adds the current span's `trace_id`, `span_id` and `trace_flags` to every record made inside a
/// span context, and nothing to records made outside one (the seed's `TraceIdFilter`).
///
/// It is part of every pipeline by default; the ids come from ``SpanContext/current``, which the
/// tracer sets and `ServiceContext.withValue` scopes.
///
/// ```swift
/// let pipeline = LogPipeline(filters: [TraceIdFilter(), RedactionFilter()], outputs: [...])
/// ```
public struct TraceIdFilter: LogFilter {
    /// Creates the filter.
    public init() {}

    public func process(_ record: inout LogRecord) -> Bool {
        if record.spanContext == nil {
            record.spanContext = SpanContext.current
        }
        return true
    }
}
