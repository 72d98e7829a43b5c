import HTTPTypes
import Hummingbird
import Logging
import SpanLog
import SpanLogHummingbird
import Tracing

/// The demo service's routes: normal ones, a failing one, a slow one, one that runs a job and
/// one that calls another route of the service as an "external" API, plus `/metrics`.
enum DemoRoutes {
    struct InventoryUnavailable: Error, CustomStringConvertible {
        var description: String { "inventory service unavailable (demo failure)" }
    }

    /// The port the service listens on, for the route that calls the service itself.
    final class SelfAddress: Sendable {
        private let value = LockedPort()
        var port: Int { self.value.get() }
        func set(_ port: Int) { self.value.set(port) }
    }

    static func router(telemetry: Telemetry, tracer: any Tracer, selfAddress: SelfAddress) -> Router<BasicRequestContext> {
        let router = Router()
        router.addTracingMiddleware(telemetry: telemetry)

        router.get("/") { _, context in
            context.logger.info("hello")
            return "SpanLog demo: try /users/42, /fail, /slow, /jobs/reindex, /external, /metrics\n"
        }
        router.get("/users/{id}") { _, context -> String in
            let id = try context.parameters.require("id")
            context.logger.info("loading user", metadata: ["user.id": "\(id)"])
            tracer.withSpan("db.query", ofKind: .client) { span in
                span.attributes["db.operation"] = "SELECT"
                span.attributes["db.table"] = "users"
                Logger.current.debug("query planned")
            }
            return "{\"id\":\"\(id)\",\"name\":\"user \(id)\"}\n"
        }
        router.get("/fail") { _, context -> String in
            context.logger.info("reserving stock")
            try await tracer.withSpan("inventory.reserve", ofKind: .internal) { span in
                span.attributes["inventory.sku"] = "demo-sku-1"
                try await Task.sleep(for: .milliseconds(15))
            }
            context.logger.error("inventory call failed; answering 500")
            throw InventoryUnavailable()
        }
        router.get("/slow") { request, context -> String in
            let milliseconds = request.uri.queryParameters.get("ms", as: Int.self) ?? 400
            context.logger.info("slow request", metadata: ["sleep_ms": "\(milliseconds)"])
            try await Task.sleep(for: .milliseconds(milliseconds))
            return "slept \(milliseconds) ms\n"
        }
        router.get("/jobs/reindex") { _, context -> String in
            try await tracer.withJobSpan(queueName: "demo", jobType: "reindex") { span in
                context.logger.info("reindexing")
                try await Task.sleep(for: .milliseconds(20))
                context.logger.info("reindexed", metadata: ["documents": "128"])
            }
            return "job done\n"
        }
        router.get("/external") { _, context -> String in
            let port = selfAddress.port
            let response = try await tracer.withOutgoingHTTPRequest(service: "users-api", operation: "get_user") { headers, _ in
                context.logger.info("calling users-api", metadata: ["traceparent": "\(headers[HTTPField.Name("traceparent")!] ?? "")"])
                return try await DemoHTTPClient(port: port).get("/users/7", headers: headers)
            }
            context.logger.info("users-api answered", metadata: ["status": "\(response.status)"])
            return "external call answered \(response.status): \(response.body)"
        }
        router.addMetricsRoute(telemetry: telemetry)
        return router
    }
}
