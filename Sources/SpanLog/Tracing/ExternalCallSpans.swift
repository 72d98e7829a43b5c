public import Instrumentation
public import Tracing

/// `external.api.call` spans for calls to other services, with the seed's attributes:
/// `external.service`, `external.operation`, `external.duration_seconds` and `external.success`.
/// Each call is also counted and timed through swift-metrics (`external_api_calls_total`,
/// `external_api_call_duration_seconds`; see `HelperMetrics`).
///
/// ```swift
/// let emails = try await tracer.withExternalAPISpan(service: "outlook", operation: "fetch_emails") { span in
///     try await outlookClient.fetchEmails()
/// }
/// ```
extension Tracer {
    /// Records a finished external call as a span that started `duration` ago and ends now (the
    /// seed's `record_external_api_span`).
    public func recordExternalAPISpan(
        service: String,
        operation: String,
        duration: Duration,
        success: Bool,
        context: @autoclosure () -> ServiceContext = .current ?? .topLevel
    ) {
        let end = DefaultTracerClock.now
        let start = DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: end.nanosecondsSinceEpoch &- duration.nanoseconds)
        let span = self.startSpan("external.api.call", context: context(), ofKind: .client, at: start)
        span.attributes = externalAttributes(service: service, operation: operation, duration: duration, success: success)
        if !success { span.setStatus(SpanStatus(code: .error, message: "external call failed")) }
        span.end(at: end)
        HelperMetrics.recordExternalCall(service: service, operation: operation, duration: duration, success: success)
    }

    /// Runs `body` inside an `external.api.call` client span; the call succeeded unless `body`
    /// throws. Inject the span's context into the outgoing request (`span.context`) so the callee
    /// continues the trace.
    public func withExternalAPISpan<Result>(
        service: String,
        operation: String,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Self.Span) async throws -> Result
    ) async rethrows -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        return try await self.withSpan("external.api.call", ofKind: .client) { span in
            do {
                let result = try await body(span)
                let duration = clock.now - started
                span.attributes.merge(externalAttributes(service: service, operation: operation, duration: duration, success: true))
                HelperMetrics.recordExternalCall(service: service, operation: operation, duration: duration, success: true)
                return result
            } catch {
                let duration = clock.now - started
                span.attributes.merge(externalAttributes(service: service, operation: operation, duration: duration, success: false))
                HelperMetrics.recordExternalCall(service: service, operation: operation, duration: duration, success: false)
                throw error
            }
        }
    }
}

func externalAttributes(service: String, operation: String, duration: Duration, success: Bool) -> SpanAttributes {
    var attributes = SpanAttributes()
    attributes["external.service"] = service
    attributes["external.operation"] = operation
    attributes["external.duration_seconds"] = duration.seconds
    attributes["external.success"] = success
    return attributes
}
