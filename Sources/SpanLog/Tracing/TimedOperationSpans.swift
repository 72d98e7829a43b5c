import Instrumentation
import Tracing

/// What the seed's timed helpers (`job.run`, `external.api.call`) have in common: a span name and
/// kind, the attributes and metrics for a duration and an outcome, and the status message of a
/// failure. Each helper describes itself with one of these; the span handling lives here once.
struct TimedOperation: Sendable {
    let name: String
    let kind: SpanKind
    let failureMessage: String
    let attributes: @Sendable (Duration, Bool) -> SpanAttributes
    let recordMetrics: @Sendable (Duration, Bool) -> Void
}

extension Tracer {
    /// Records a finished operation as a span that started `duration` ago and ends now.
    func recordTimedOperation(_ operation: TimedOperation, duration: Duration, success: Bool, context: ServiceContext) {
        let end = DefaultTracerClock.now
        let start = DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: end.nanosecondsSinceEpoch &- duration.nanoseconds)
        let span = self.startSpan(operation.name, context: context, ofKind: operation.kind, at: start)
        span.attributes = operation.attributes(duration, success)
        if !success { span.setStatus(SpanStatus(code: .error, message: operation.failureMessage)) }
        span.end(at: end)
        operation.recordMetrics(duration, success)
    }

    /// Runs `body` inside the operation's span; it succeeded unless `body` throws.
    func withTimedOperation<Result>(
        _ operation: TimedOperation,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Self.Span) async throws -> Result
    ) async rethrows -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        return try await self.withSpan(operation.name, ofKind: operation.kind) { span in
            do {
                let result = try await body(span)
                let duration = clock.now - started
                span.attributes.merge(operation.attributes(duration, true))
                operation.recordMetrics(duration, true)
                return result
            } catch {
                let duration = clock.now - started
                span.attributes.merge(operation.attributes(duration, false))
                operation.recordMetrics(duration, false)
                throw error
            }
        }
    }
}
