import CoreMetrics

/// The metrics the seed's span helpers record beside their spans, through swift-metrics'
/// bootstrapped factory (Prometheus for the `prom` and `hybrid` backends; a no-op otherwise):
///
/// - `job_runs_total{queue,job_type,success}` and `job_run_duration_seconds{queue,job_type,success}`
///   for `withJobSpan` / `recordJobSpan`;
/// - `external_api_calls_total{service,operation,success}` and
///   `external_api_call_duration_seconds{service,operation,success}` for `withExternalAPISpan` /
///   `recordExternalAPISpan`.
///
/// ```swift
/// HelperMetrics.recordJob(queueName: "batch_runner", jobType: "workflow_run", duration: .seconds(2), success: true)
/// ```
enum HelperMetrics {
    static func recordJob(queueName: String, jobType: String, duration: Duration, success: Bool) {
        let dimensions = [("queue", queueName), ("job_type", jobType), ("success", success ? "true" : "false")]
        Counter(label: "job_runs_total", dimensions: dimensions).increment()
        Timer(label: "job_run_duration_seconds", dimensions: dimensions).recordNanoseconds(Int64(clamping: duration.nanoseconds))
    }

    static func recordExternalCall(service: String, operation: String, duration: Duration, success: Bool) {
        let dimensions = [("service", service), ("operation", operation), ("success", success ? "true" : "false")]
        Counter(label: "external_api_calls_total", dimensions: dimensions).increment()
        Timer(label: "external_api_call_duration_seconds", dimensions: dimensions).recordNanoseconds(Int64(clamping: duration.nanoseconds))
    }
}
