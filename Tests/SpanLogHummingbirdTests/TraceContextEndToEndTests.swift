import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import SpanLog
import SpanLogHummingbird
import Synchronization
import Testing
import Tracing

/// W3C Trace Context through a service built the way a user builds one: the tracing middleware
/// on the way in, AsyncHTTPClient on the way out, a second server (the callee) on 127.0.0.1.
@Suite("W3C Trace Context end to end: middleware, outgoing AsyncHTTPClient call, callee", .timeLimit(.minutes(1)))
struct TraceContextEndToEndTests {
    /// What the callee received.
    final class Received: Sendable {
        let headers = Mutex<[String: String]>([:])
    }

    @Test("the callee sees the caller's trace id, its flags (random bit too) and its tracestate, cleaned by Level 2's rules")
    func propagatesThroughAnOutgoingCall() async throws {
        let received = Received()
        let calleeRouter = Router()
        calleeRouter.get("/callee") { request, _ -> String in
            received.headers.withLock {
                $0["traceparent"] = request.headers[HTTPField.Name("traceparent")!]
                $0["tracestate"] = request.headers[HTTPField.Name("tracestate")!]
            }
            return "ok"
        }
        let callee = Application(router: calleeRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let telemetry = TestTelemetry()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await callee.test(.live) { calleeClient in
                let calleePort = try #require(calleeClient.port)
                let app = TestApplication.make(telemetry) { router in
                    router.get("/call") { _, _ -> String in
                        try await telemetry.tracer.withOutgoingHTTPRequest(service: "callee", operation: "get") { headers, _ in
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(calleePort)/callee")
                            for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
                            let response = try await http.execute(request, timeout: .seconds(10))
                            return "callee answered \(response.status.code)"
                        }
                    }
                }
                let incoming: HTTPFields = [
                    HTTPField.Name("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03",
                    HTTPField.Name("tracestate")!: "foo@bar@baz=1,rojo=2,BAD KEY=3,foo@bar@baz=4,congo@@t=5",
                ]
                let response = try await app.test(.live) { client in
                    try await client.execute(uri: "/call", method: .get, headers: incoming)
                }
                #expect(response.status == .ok)
            }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()

        let headers = received.headers.withLock { $0 }
        let clientSpan = try #require(telemetry.spans(named: "external.api.call").first)
        let clientSpanID = try #require(clientSpan.string("span_id"))
        #expect(headers["traceparent"] == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(clientSpanID)-03")
        #expect(headers["tracestate"] == "foo@bar@baz=1,rojo=2,congo@@t=5")
        let serverSpan = try #require(telemetry.spans(named: "http.server").first)
        #expect(serverSpan.string("trace_id") == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(serverSpan.string("parent_span_id") == "00f067aa0ba902b7")
        #expect(serverSpan.string("trace_flags") == "03")
    }
}
