import Foundation

/// The demo's configuration: SpanLog's usual environment variables, with demo defaults for the
/// ones that are unset, so `swift run spanlog-demo` shows everything on a fresh machine while
/// every variable still overrides.
enum DemoEnvironment {
    /// Telemetry on, tracing and metrics, every trace sampled, a low slow-request threshold so
    /// the slow route is kept by the tail rule, logs in `./spanlog-demo-logs`, flushed often.
    static let defaults: [String: String] = [
        "TELEMETRY_ENABLED": "true",
        "TELEMETRY_BACKEND": "hybrid",
        "OTEL_SERVICE_NAME": "spanlog-demo",
        "OTEL_TRACE_SAMPLE": "1.0",
        "TELEMETRY_SLOW_REQUEST_MS": "300",
        "LOG_DIR": "./spanlog-demo-logs",
        "LOG_FILE_NAME": "spanlog-demo",
        "LOG_FLUSH_MS": "200",
    ]

    /// The process environment over the demo defaults.
    static func merged(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        defaults.merging(environment) { _, fromProcess in fromProcess }
    }
}
