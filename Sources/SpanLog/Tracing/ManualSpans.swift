public import Tracing

/// The seed's `start_span(name, attributes)`: a span with initial attributes around a closure,
/// ended when it returns, with the error recorded if it throws.
///
/// ```swift
/// let rows = try tracer.startSpan("database.query", attributes: ["query_type": "select", "table": "users"]) { span in
///     let rows = try db.execute("SELECT * FROM users")
///     span.attributes["rows_returned"] = rows.count
///     return rows
/// }
/// ```
extension Tracer {
    /// Runs `body` in a new span that starts with `attributes`.
    public func startSpan<Result>(
        _ name: String,
        attributes: SpanAttributes,
        ofKind kind: SpanKind = .internal,
        _ body: (Self.Span) throws -> Result
    ) rethrows -> Result {
        try self.withSpan(name, ofKind: kind) { span in
            span.attributes.merge(attributes)
            return try body(span)
        }
    }

    /// Runs the asynchronous `body` in a new span that starts with `attributes`.
    public func startSpan<Result>(
        _ name: String,
        attributes: SpanAttributes,
        ofKind kind: SpanKind = .internal,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Self.Span) async throws -> Result
    ) async rethrows -> Result {
        try await self.withSpan(name, ofKind: kind) { span in
            span.attributes.merge(attributes)
            return try await body(span)
        }
    }
}
