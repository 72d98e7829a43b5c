import Foundation
import PythonPeers
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SpanLog
import SpanLogHummingbird
import Testing

/// A client built with the official OpenTelemetry Python SDK (pins in Tests/PythonPeers/requirements.txt) calls
/// the server over loopback HTTP with its own `traceparent`.
@Suite("OpenTelemetry Python SDK interop", .timeLimit(.minutes(20)))
struct PythonInteropTests {
    @Test("the server span continues a trace started by the OpenTelemetry Python SDK")
    func pythonClientTraceContinues() async throws {
        guard let python = try await PythonPeers.interpreter() else { return }
        let check = try await Subprocess.run(python, ["-c", "import opentelemetry.sdk.trace, opentelemetry.propagate"], timeout: .seconds(30))
        if check.status != 0 {
            Issue.record(
                """
                The OpenTelemetry Python SDK is missing from \(python) (set SPANLOG_SKIP_PYTHON_PEERS=1 to skip). \
                \(check.standardError)
                """)
            return
        }
        let telemetry = TestTelemetry()
        let app = TestApplication.make(telemetry)
        let result = try await app.test(.live) { client in
            let port = try #require(client.port)
            return try await Subprocess.run(
                python, [TestPaths.testsDirectory + "/otel_client.py", String(port), "/users/77"], timeout: .seconds(30))
        }
        try #require(result.status == 0 && !result.timedOut, "otel_client.py failed: \(result.standardError)")
        let line = try #require(result.standardOutput.split(separator: "\n").last)
        let client = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let traceID = try #require(client["trace_id"] as? String)
        let spanID = try #require(client["span_id"] as? String)
        let sent = try #require(client["sent_traceparent"] as? String)
        #expect(sent.hasPrefix("00-\(traceID)-\(spanID)-"))
        #expect((UInt8(sent.suffix(2), radix: 16) ?? 0) & 1 == 1)
        #expect(client["status"] as? Int == 200)
        #expect(client["x_trace_id"] as? String == traceID)

        let span = try #require(telemetry.spans(named: "http.server").first)
        #expect(span.string("trace_id") == traceID)
        #expect(span.string("parent_span_id") == spanID)
        // The caller's flags go on unchanged: sampled, and W3C Level 2's random bit when the SDK sets it.
        let flags = String(sent.suffix(2))
        #expect(span.string("trace_flags") == flags)
        #expect((client["traceparent"] as? String)?.hasPrefix("00-\(traceID)-\(span.string("span_id") ?? "?")-\(flags)") == true)
    }
}
