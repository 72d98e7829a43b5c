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
        self.recordTimedOperation(.externalCall(service: service, operation: operation), duration: duration, success: success, context: context())
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
        try await self.withTimedOperation(.externalCall(service: service, operation: operation), isolation: isolation, body)
    }
}

extension TimedOperation {
    static func externalCall(service: String, operation: String) -> TimedOperation {
        TimedOperation(
            name: "external.api.call",
            kind: .client,
            failureMessage: "external call failed",
            attributes: { duration, success in
                var attributes = SpanAttributes()
                attributes["external.service"] = service
                attributes["external.operation"] = operation
                attributes["external.duration_seconds"] = duration.seconds
                attributes["external.success"] = success
                return attributes
            },
            recordMetrics: { duration, success in
                HelperMetrics.recordExternalCall(service: service, operation: operation, duration: duration, success: success)
            }
        )
    }
}
