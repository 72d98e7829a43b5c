import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SpanLog
import SpanLogHummingbird
import Testing
import Tracing

@Suite("SpanLogTracingMiddleware", .timeLimit(.minutes(1)))
struct MiddlewareTests {
    @Test("http.server span: name, kind, every attribute, route template", arguments: ["router", "live"])
    func serverSpan(setup: String) async throws {
        let telemetry = TestTelemetry()
        let app = TestApplication.make(telemetry)
        let response = try await app.test(setup == "live" ? .live : .router) { client in
            try await client.execute(uri: "/users/42", method: .get)
        }
        #expect(response.status == .ok)
        let spans = telemetry.spans(named: "http.server")
        try #require(spans.count == 1)
        let span = spans[0]
        #expect(span.string("kind") == "server")
        #expect(span.string("status") != "error")
        let attributes = span.attributes
        #expect(attributes["http.method"] as? String == "GET")
        #expect(attributes["http.request.method"] as? String == "GET")
        #expect(attributes["http.route"] as? String == "/users/{id}")
        #expect(attributes["http.status_code"] as? Int == 200)
        #expect(attributes["http.response.status_code"] as? Int == 200)
        #expect(attributes["url.path"] as? String == "/users/42")
        #expect(attributes["url.scheme"] as? String == "http")
        #expect(attributes["http.response.body.size"] as? Int == "user 42".utf8.count)
        let duration = try #require(attributes["http.duration_seconds"] as? Double)
        #expect(duration > 0 && duration < 10)
        #expect(attributes["error.type"] == nil)

        // The trace id is on the response.
        let traceID = try #require(span.string("trace_id"))
        let spanID = try #require(span.string("span_id"))
        #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == traceID)
        // Sampled, and a random trace id SpanLog made (W3C Level 2's random flag): 03.
        #expect(response.headers[HTTPField.Name("traceparent")!] == "00-\(traceID)-\(spanID)-03")
    }

    @Test(
        "status: 2xx ok, 4xx (returned or thrown) not an error, 5xx and thrown errors are errors",
        arguments: [
            ("/hello", 200, false, "/hello"),
            ("/bad-request", 400, false, "/bad-request"),
            ("/nowhere/at/all", 404, false, nil),
            ("/unavailable", 503, true, "/unavailable"),
            ("/http-500", 500, true, "/http-500"),
            ("/throws", 500, true, "/throws"),
        ] as [(String, Int, Bool, String?)]
    )
    func statusMapping(path: String, code: Int, isError: Bool, route: String?) async throws {
        for setup in [TestingSetup.router, .live] {
            let telemetry = TestTelemetry()
            let app = TestApplication.make(telemetry)
            let response = try await app.test(setup) { client in
                try await client.execute(uri: path, method: .get)
            }
            #expect(Int(response.status.code) == code)
            let span = try #require(telemetry.spans(named: "http.server").first)
            #expect(span.attributes["http.status_code"] as? Int == code)
            #expect(span.attributes["http.response.status_code"] as? Int == code)
            #expect(span.attributes["http.route"] as? String == route, "the route template, never the raw path")
            #expect((span.string("status") == "error") == isError, "\(path): status \(span.string("status") ?? "-")")
            #expect((span.string("level") == "error") == isError)
            // Error responses carry the trace id too.
            #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == span.string("trace_id"))
            if path == "/throws" {
                let events = span["events"] as? [[String: Any]] ?? []
                let exception = try #require(events.first { $0["name"] as? String == "exception" })
                let attributes = exception["attributes"] as? [String: Any] ?? [:]
                #expect(attributes["exception.message"] as? String == "database is on fire")
                #expect((span.attributes["error.type"] as? String)?.hasSuffix("BrokenDatabase") == true)
            }
        }
    }

    @Test("an incoming traceparent is continued: same trace id, parent = the caller's span")
    func continuesIncomingTrace() async throws {
        let telemetry = TestTelemetry()
        let app = TestApplication.make(telemetry)
        let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
        let callerSpan = "00f067aa0ba902b7"
        let response = try await app.test(.live) { client in
            try await client.execute(
                uri: "/hello", method: .get,
                headers: [HTTPField.Name("traceparent")!: "00-\(callerTrace)-\(callerSpan)-01"]
            )
        }
        let span = try #require(telemetry.spans(named: "http.server").first)
        #expect(span.string("trace_id") == callerTrace)
        #expect(span.string("parent_span_id") == callerSpan)
        #expect(span.string("span_id") != callerSpan)
        #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == callerTrace)
        let traceparent = try #require(response.headers[HTTPField.Name("traceparent")!])
        #expect(traceparent.hasPrefix("00-\(callerTrace)-\(span.string("span_id") ?? "?")-"))
    }

    @Test("an unsampled caller is respected, and the request still gets ids")
    func unsampledCaller() async throws {
        let telemetry = TestTelemetry(sampler: ParentBasedSampler(root: ConstantSampler(.recordAndSample)))
        let app = TestApplication.make(telemetry)
        let response = try await app.test(.router) { client in
            try await client.execute(
                uri: "/hello", method: .get,
                headers: [HTTPField.Name("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"]
            )
        }
        #expect(response.status == .ok)
        #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(response.headers[HTTPField.Name("traceparent")!]?.hasSuffix("-00") == true)
    }

    @Test("log lines inside handlers carry the request's trace_id and span_id")
    func logLinesCarryIDs() async throws {
        let telemetry = TestTelemetry()
        let app = TestApplication.make(telemetry)
        try await app.test(.live) { client in
            _ = try await client.execute(uri: "/users/7", method: .get)
        }
        let span = try #require(telemetry.spans(named: "http.server").first)
        let contextLine = try #require(telemetry.logs(message: "context logger line").first)
        #expect(contextLine.string("trace_id") == span.string("trace_id"))
        #expect(contextLine.string("span_id") == span.string("span_id"))
        let taskLocalLine = try #require(telemetry.logs(message: "task-local logger line").first)
        #expect(taskLocalLine.string("trace_id") == span.string("trace_id"))
        #expect(taskLocalLine.string("span_id") == span.string("span_id"))
    }

    @Test("outgoing calls: external.api.call client span, traceparent injected, continued by the server")
    func outgoingInjection() async throws {
        let telemetry = TestTelemetry()
        let app = TestApplication.make(telemetry)
        let sent = try await app.test(.live) { client in
            try await telemetry.tracer.withOutgoingHTTPRequest(service: "users-api", operation: "get_user") { headers, span in
                _ = try await client.execute(uri: "/users/9", method: .get, headers: headers)
                return headers
            }
        }
        let clientSpan = try #require(telemetry.spans(named: "external.api.call").first)
        #expect(clientSpan.string("kind") == "client")
        #expect(clientSpan.attributes["external.service"] as? String == "users-api")
        #expect(clientSpan.attributes["external.operation"] as? String == "get_user")
        #expect(clientSpan.attributes["external.success"] as? Bool == true)
        let traceID = try #require(clientSpan.string("trace_id"))
        let spanID = try #require(clientSpan.string("span_id"))
        #expect(sent[HTTPField.Name("traceparent")!] == "00-\(traceID)-\(spanID)-03")
        let serverSpan = try #require(telemetry.spans(named: "http.server").first)
        #expect(serverSpan.string("trace_id") == traceID)
        #expect(serverSpan.string("parent_span_id") == spanID)
    }

    @Test("by default a response carries X-Trace-Id alone; .traceparent adds only the W3C form")
    func defaultResponseHeaders() async throws {
        #expect(SpanLogTracingMiddleware<BasicRequestContext>.defaultResponseHeaders == .traceID)
        // nil: the middleware built without `responseHeaders:`.
        for (headers, wantsID, wantsTraceparent) in [(nil, true, false), (ResponseTraceHeaders.traceparent, false, true)] {
            let telemetry = TestTelemetry()
            let app = TestApplication.make(telemetry, responseHeaders: headers)
            let response = try await app.test(.router) { client in
                try await client.execute(uri: "/hello", method: .get)
            }
            let span = try #require(telemetry.spans(named: "http.server").first)
            let traceID = try #require(span.string("trace_id"))
            #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == (wantsID ? traceID : nil))
            #expect(response.headers[HTTPField.Name("traceparent")!]?.hasPrefix("00-\(traceID)-") == (wantsTraceparent ? true : nil))
        }
    }

    @Test("telemetry off (NoOpTracer): the request succeeds with no trace headers and no records")
    func noOpTracer() async throws {
        let telemetry = TestTelemetry()
        let app = TestApplication.make(telemetry, tracer: NoOpTracer())
        let response = try await app.test(.router) { client in
            try await client.execute(uri: "/users/1", method: .get)
        }
        #expect(response.status == .ok)
        #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == nil)
        #expect(telemetry.spans(named: "http.server").isEmpty)
        let line = try #require(telemetry.logs(message: "context logger line").first)
        #expect(line["trace_id"] == nil)
    }

    @Test("a dropped (unsampled, unrecorded) span still lets the request through with ids")
    func droppedSpan() async throws {
        let telemetry = TestTelemetry(sampler: ConstantSampler(.drop))
        let tracer = SpanLogTracer(
            configuration: .init(sampler: ConstantSampler(.drop), logSpans: .none, tailSampling: nil),
            logPipeline: telemetry.pipeline
        )
        let app = TestApplication.make(telemetry, tracer: tracer)
        let response = try await app.test(.router) { client in
            try await client.execute(uri: "/users/3", method: .get)
        }
        #expect(response.status == .ok)
        #expect(telemetry.spans(named: "http.server").isEmpty)
        let traceID = try #require(response.headers[HTTPField.Name("X-Trace-Id")!])
        #expect(telemetry.logs(message: "context logger line").first?.string("trace_id") == traceID)
    }

    @Test("thrown errors: wrapped with the trace headers by default, passed through unchanged with responseHeaders: []")
    func thrownErrorsReachOuterMiddleware() async throws {
        for headers in [ResponseTraceHeaders.all, []] {
            let telemetry = TestTelemetry()
            let seen = ErrorRecorder()
            let router = Router()
            router.add(middleware: seen)
            router.add(middleware: SpanLogTracingMiddleware(tracer: telemetry.tracer, responseHeaders: headers))
            router.get("/throws") { _, _ -> String in throw BrokenDatabase() }
            let app = Application(router: router, logger: telemetry.logger)
            let response = try await app.test(.router) { client in
                try await client.execute(uri: "/throws", method: .get)
            }
            #expect(response.status == .internalServerError)
            let error = try #require(seen.errors.first)
            if headers.isEmpty {
                #expect(error is BrokenDatabase)
                #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == nil)
            } else {
                let traced = try #require(error as? TracedRequestError)
                #expect(traced.underlying is BrokenDatabase)
                #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == telemetry.spans(named: "http.server").first?.string("trace_id"))
            }
        }
    }
}

extension MiddlewareTests {
    @Test("a thrown HTTPError keeps its type for outer middleware, and its response carries the trace headers")
    func thrownHTTPErrorKeepsItsType() async throws {
        let telemetry = TestTelemetry()
        let seen = ErrorRecorder()
        let router = Router()
        router.add(middleware: seen)
        router.add(middleware: SpanLogTracingMiddleware(tracer: telemetry.tracer))
        router.get("/gone") { _, _ -> String in throw HTTPError(.gone, message: "moved away") }
        let app = Application(router: router, logger: telemetry.logger)
        let response = try await app.test(.router) { client in
            try await client.execute(uri: "/gone", method: .get)
        }
        #expect(response.status == .gone)
        let error = try #require(seen.errors.first as? HTTPError)
        #expect(error.status == .gone && error.body == "moved away")
        let traceID = try #require(telemetry.spans(named: "http.server").first?.string("trace_id"))
        #expect(error.headers[HTTPField.Name("X-Trace-Id")!] == traceID)
        #expect(response.headers[HTTPField.Name("X-Trace-Id")!] == traceID)
    }
}

/// Outer middleware that remembers the errors passing through it.
final class ErrorRecorder: RouterMiddleware, @unchecked Sendable {
    typealias Context = BasicRequestContext
    private let lock = NSLock()
    private var recorded: [any Error] = []

    var errors: [any Error] { self.lock.withLock { self.recorded } }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            self.lock.withLock { self.recorded.append(error) }
            throw error
        }
    }
}

@Suite("addTracingMiddleware(telemetry:)", .timeLimit(.minutes(1)))
struct RouterTracingMiddlewareTests {
    /// A final responder whose identity shows whether the router wrapped it in any middleware.
    final class Probe: HTTPResponder, Sendable {
        func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
            Response(status: .ok)
        }
    }

    static func addsMiddleware(_ environment: [String: String]) -> Bool {
        let telemetry = Telemetry.make(TelemetryConfiguration.fromEnvironment(environment))
        let router = Router()
        router.addTracingMiddleware(telemetry: telemetry)
        let probe = Probe()
        return (router.middlewares.constructResponder(finalResponder: probe) as? Probe) !== probe
    }

    @Test("telemetry off adds no middleware; tracing or metrics on adds it")
    func addsOnlyWhenOn() {
        #expect(!Self.addsMiddleware([:]))
        #expect(!Self.addsMiddleware(["TELEMETRY_ENABLED": "false"]))
        #expect(Self.addsMiddleware(["TELEMETRY_ENABLED": "true", "LOG_DIR": ""]))
        #expect(Self.addsMiddleware(["TELEMETRY_ENABLED": "true", "TELEMETRY_BACKEND": "prom"]))
    }

    @Test("with telemetry on, requests through it get the middleware's span and header")
    func tracesWhenOn() async throws {
        let telemetry = Telemetry.make(TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true", "OTEL_TRACE_SAMPLE": "1.0", "OTEL_EXPORTER": "none"]))
        let router = Router()
        router.addTracingMiddleware(telemetry: telemetry)
        router.get("/") { _, _ in "hello" }
        let app = Application(router: router)
        let response = try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get)
        }
        #expect(response.status == .ok)
        let traceID = try #require(response.headers[HTTPField.Name("X-Trace-Id")!])
        #expect(traceID.count == 32)
        await telemetry.shutdown()
    }
}
