public import Instrumentation
public import Tracing

/// `job.run` spans for background work, with the seed's attributes: `queue.name`, `job.type`,
/// `job.duration_seconds` and `job.success`. A failed job's span has error status, so the tail
/// rule always keeps its trace. Each run is also counted and timed through swift-metrics
/// (`job_runs_total`, `job_run_duration_seconds`; see `HelperMetrics`).
///
/// ```swift
/// try await tracer.withJobSpan(queueName: "batch_runner", jobType: "workflow_run") { span in
///     try await processWorkflow(job)
/// }
/// ```
extension Tracer {
    /// Records a finished job as a `job.run` span that started `duration` ago and ends now (the
    /// seed's `record_job_span`), as a child of the current span if there is one.
    public func recordJobSpan(
        queueName: String,
        jobType: String,
        duration: Duration,
        success: Bool,
        context: @autoclosure () -> ServiceContext = .current ?? .topLevel
    ) {
        let end = DefaultTracerClock.now
        let start = DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: end.nanosecondsSinceEpoch &- duration.nanoseconds)
        let span = self.startSpan("job.run", context: context(), ofKind: .consumer, at: start)
        span.attributes = jobAttributes(queueName: queueName, jobType: jobType, duration: duration, success: success)
        if !success { span.setStatus(SpanStatus(code: .error, message: "job failed")) }
        span.end(at: end)
        HelperMetrics.recordJob(queueName: queueName, jobType: jobType, duration: duration, success: success)
    }

    /// Runs `body` inside a `job.run` span; the job succeeded unless `body` throws.
    public func withJobSpan<Result>(
        queueName: String,
        jobType: String,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Self.Span) async throws -> Result
    ) async rethrows -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        return try await self.withSpan("job.run", ofKind: .consumer) { span in
            do {
                let result = try await body(span)
                let duration = clock.now - started
                span.attributes.merge(jobAttributes(queueName: queueName, jobType: jobType, duration: duration, success: true))
                HelperMetrics.recordJob(queueName: queueName, jobType: jobType, duration: duration, success: true)
                return result
            } catch {
                let duration = clock.now - started
                span.attributes.merge(jobAttributes(queueName: queueName, jobType: jobType, duration: duration, success: false))
                HelperMetrics.recordJob(queueName: queueName, jobType: jobType, duration: duration, success: false)
                throw error
            }
        }
    }
}

func jobAttributes(queueName: String, jobType: String, duration: Duration, success: Bool) -> SpanAttributes {
    var attributes = SpanAttributes()
    attributes["queue.name"] = queueName
    attributes["job.type"] = jobType
    attributes["job.duration_seconds"] = duration.seconds
    attributes["job.success"] = success
    return attributes
}

extension Duration {
    /// Whole nanoseconds (saturating at zero for negative durations).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = self.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }

    /// Seconds as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
