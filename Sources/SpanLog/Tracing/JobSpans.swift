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
        self.recordTimedOperation(.job(queueName: queueName, jobType: jobType), duration: duration, success: success, context: context())
    }

    /// Runs `body` inside a `job.run` span; the job succeeded unless `body` throws.
    public func withJobSpan<Result>(
        queueName: String,
        jobType: String,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Self.Span) async throws -> Result
    ) async rethrows -> Result {
        try await self.withTimedOperation(.job(queueName: queueName, jobType: jobType), isolation: isolation, body)
    }
}

extension TimedOperation {
    static func job(queueName: String, jobType: String) -> TimedOperation {
        TimedOperation(
            name: "job.run",
            kind: .consumer,
            failureMessage: "job failed",
            attributes: { duration, success in
                var attributes = SpanAttributes()
                attributes["queue.name"] = queueName
                attributes["job.type"] = jobType
                attributes["job.duration_seconds"] = duration.seconds
                attributes["job.success"] = success
                return attributes
            },
            recordMetrics: { duration, success in
                HelperMetrics.recordJob(queueName: queueName, jobType: jobType, duration: duration, success: success)
            }
        )
    }
}

extension Duration {
    /// Seconds as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
