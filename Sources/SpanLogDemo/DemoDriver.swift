/// Drives a mix of requests against the running demo service with a real HTTP client and
/// prints one line per request.
enum DemoDriver {
    struct Outcome {
        /// The trace id of the failing request (`GET /fail`), from its `X-Trace-Id` header.
        var failingTraceID: String?
        /// Requests whose status was not the expected one.
        var unexpected: [String]
        /// The `/metrics` body.
        var metrics = ""

        /// A few series of the `/metrics` answer: requests by route and status class, job runs,
        /// external calls.
        var metricsHighlights: [String] {
            let names = ["http_server_requests_total{", "job_runs_total{", "external_api_calls_total{", "spanlog_"]
            return self.metrics.split(separator: "\n").map(String.init).filter { line in
                names.contains { line.hasPrefix($0) }
            }
        }
    }

    static let requests: [(path: String, expected: Int, what: String)] = [
        ("/", 200, "normal"),
        ("/users/42", 200, "route template /users/{id}"),
        ("/missing", 404, "no route: 404, not an error"),
        ("/fail", 500, "handler throws: 500, error status"),
        ("/slow?ms=400", 200, "over TELEMETRY_SLOW_REQUEST_MS"),
        ("/jobs/reindex", 200, "job.run span"),
        ("/external", 200, "external.api.call → traceparent → /users/7"),
        ("/metrics", 200, "Prometheus text"),
    ]

    /// Sends every request; `/metrics` is expected to answer 404 when `metricsEnabled` is false
    /// (backend `otel`, or telemetry off).
    static func run(port: Int, metricsEnabled: Bool) async throws -> Outcome {
        let client = DemoHTTPClient(port: port)
        var outcome = Outcome(failingTraceID: nil, unexpected: [])
        say()
        say("spanlog-demo: sending \(Self.requests.count) requests to http://127.0.0.1:\(port)")
        for var request in Self.requests {
            if request.path == "/metrics" && !metricsEnabled { request.expected = 404 }
            let response = try await client.get(request.path)
            let traceID = response.header("X-Trace-Id") ?? "-"
            let mark = response.status == request.expected ? " " : "!"
            say("\(mark) GET \(request.path.padded(16)) \(response.status)  trace \(traceID)  (\(request.what))")
            if response.status != request.expected {
                outcome.unexpected.append("GET \(request.path): \(response.status), expected \(request.expected)")
            }
            if request.path == "/fail" { outcome.failingTraceID = response.header("X-Trace-Id") }
            if request.path == "/metrics" && response.status == 200 { outcome.metrics = response.body }
        }
        return outcome
    }
}

extension String {
    func padded(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - self.count))
    }
}
