import HTTPTypes
import Hummingbird
import Logging
import SpanLog
import SpanLogHummingbird
import Tracing

struct BrokenDatabase: Error, CustomStringConvertible {
    var description: String { "database is on fire" }
}

/// The application under test: a router with the middleware and routes for every outcome.
enum TestApplication {
    static func make(
        _ telemetry: TestTelemetry,
        tracer: (any Tracer)? = nil,
        metrics: HTTPServerMetrics? = nil,
        responseHeaders: ResponseTraceHeaders? = .all,
        extra: ((Router<BasicRequestContext>) -> Void)? = nil
    ) -> some ApplicationProtocol {
        let router = Router()
        if let responseHeaders {
            router.add(middleware: SpanLogTracingMiddleware(tracer: tracer ?? telemetry.tracer, metrics: metrics, responseHeaders: responseHeaders))
        } else {
            // nil: the middleware's own default.
            router.add(middleware: SpanLogTracingMiddleware(tracer: tracer ?? telemetry.tracer, metrics: metrics))
        }
        router.get("/hello") { _, _ in "hello" }
        router.get("/users/{id}") { _, context -> String in
            let id = try context.parameters.require("id")
            context.logger.info("context logger line", metadata: ["user.id": "\(id)"])
            Logger.current.info("task-local logger line")
            return "user \(id)"
        }
        router.get("/bad-request") { _, _ -> String in throw HTTPError(.badRequest, message: "no") }
        router.get("/http-500") { _, _ -> String in throw HTTPError(.internalServerError, message: "broken") }
        router.get("/unavailable") { _, _ in Response(status: .serviceUnavailable) }
        router.get("/throws") { _, _ -> String in throw BrokenDatabase() }
        extra?(router)
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: telemetry.logger
        )
    }
}
