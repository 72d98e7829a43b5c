import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SpanLog
import SpanLogHummingbird
import Testing
import Tracing

@Suite("Middleware metrics on SpanLog's backend: exemplars from the request span", .timeLimit(.minutes(1)))
struct MetricExemplarMiddlewareTests {
    @Test("the request-duration histogram's exemplar is the request span's trace and span id")
    func durationExemplar() async throws {
        let telemetry = TestTelemetry()
        let factory = SpanLogMetricsFactory()
        let app = TestApplication.make(telemetry, metrics: HTTPServerMetrics(factory: factory), responseHeaders: .all)
        let response = try await app.test(.router) { client in
            try await client.execute(uri: "/users/7", method: .get)
        }
        let traceparent = try #require(response.headers[HTTPField.Name("traceparent")!])
        let parts = traceparent.split(separator: "-").map(String.init)
        #expect(parts.count == 4)
        let serverSpan = try #require(telemetry.spans(named: "http.server").first)
        #expect(serverSpan["span_id"] as? String == parts[2])

        let streams = factory.collect(temporality: .cumulative)
        let duration = try #require(streams.first { $0.name == HTTPServerMetrics.requestDurationSeconds })
        #expect(duration.unit == "s")
        let point = try #require(duration.points.first)
        let exemplar = try #require(point.exemplars.first)
        #expect(point.exemplars.count == 1)
        #expect(exemplar.traceID.description == parts[1])
        #expect(exemplar.spanID.description == parts[2])
        let requests = try #require(streams.first { $0.name == HTTPServerMetrics.requestsTotal })
        #expect(requests.points.first?.exemplars.first?.spanID.description == parts[2])
    }

    @Test("an unsampled request's duration takes no exemplar")
    func unsampledRequest() async throws {
        let telemetry = TestTelemetry(sampler: ConstantSampler(.recordOnly))
        let factory = SpanLogMetricsFactory()
        let app = TestApplication.make(telemetry, metrics: HTTPServerMetrics(factory: factory))
        _ = try await app.test(.router) { client in
            try await client.execute(uri: "/hello", method: .get)
        }
        let duration = try #require(factory.collect(temporality: .cumulative).first { $0.name == HTTPServerMetrics.requestDurationSeconds })
        #expect(duration.points.first?.histogram?.count == 1)
        #expect(duration.points.first?.exemplars.isEmpty == true)
    }

    @Test("init(telemetry:) records on the telemetry's metrics factory (OTEL_METRICS_EXPORTER=console, no Prometheus)")
    func telemetryFactory() async throws {
        let telemetry = Telemetry.make(TelemetryConfiguration.fromEnvironment([
            "TELEMETRY_ENABLED": "true", "OTEL_TRACE_SAMPLE": "1.0", "OTEL_EXPORTER": "none", "LOG_SPANS": "none",
            "OTEL_METRICS_EXPORTER": "console", "OTEL_METRIC_EXPORT_INTERVAL": "3600000",
        ]))
        #expect(telemetry.metricsRegistry == nil)
        let reader = try #require(telemetry.metricReader)
        let router = Router()
        router.addTracingMiddleware(telemetry: telemetry)
        router.get("/") { _, _ in "hello" }
        let response = try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/", method: .get)
        }
        let traceID = try #require(response.headers[HTTPField.Name("X-Trace-Id")!])
        let requests = try #require(reader.factory.collect(temporality: .cumulative).first { $0.name == HTTPServerMetrics.requestsTotal })
        let count: Int64? = requests.points.first.flatMap { if case .integer(let value) = $0.value { value } else { nil } }
        #expect(count == 1)
        #expect(requests.points.first?.exemplars.first?.traceID.description == traceID)
        await telemetry.shutdown(timeout: .seconds(2))
    }
}

extension MetricPoint {
    var histogram: HistogramValue? { if case .histogram(let value) = self.value { value } else { nil } }
}
