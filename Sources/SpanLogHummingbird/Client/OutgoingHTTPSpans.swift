public import HTTPTypes
import SpanLog
public import Tracing

/// Outgoing HTTP calls inside an `external.api.call` client span (SpanLog's
/// `withExternalAPISpan`, with the seed's `external.*` attributes), with the span's W3C
/// `traceparent` (and `tracestate`) injected into the request headers, so the callee continues
/// the trace as a child of this span.
///
/// ```swift
/// let user = try await tracer.withOutgoingHTTPRequest(service: "users", operation: "get_user") { headers, span in
///     var request = HTTPRequest(method: .get, scheme: "http", authority: "users:8080", path: "/users/42")
///     request.headerFields.append(contentsOf: headers)
///     return try await client.send(request)
/// }
/// ```
extension Tracer {
    /// Runs `body` inside an `external.api.call` client span, handing it `headers` plus the
    /// span's trace-context headers. The call succeeded unless `body` throws.
    public func withOutgoingHTTPRequest<Result>(
        service: String,
        operation: String,
        headers: HTTPFields = HTTPFields(),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (HTTPFields, Self.Span) async throws -> Result
    ) async rethrows -> Result {
        try await self.withExternalAPISpan(service: service, operation: operation, isolation: isolation) { span in
            var headers = headers
            self.inject(span.context, into: &headers, using: HTTPFieldsInjector())
            return try await body(headers, span)
        }
    }
}
