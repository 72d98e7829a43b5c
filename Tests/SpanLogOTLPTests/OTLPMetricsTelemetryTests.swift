import CoreMetrics
import Foundation
import SpanLog
import SpanLogOTLP
import Testing
import Tracing

/// The path an application takes for metrics: `OTEL_METRICS_EXPORTER=otlp` and
/// `Telemetry.make(…, exporters: OTLPExporterProvider())`, recording on `telemetry.metricsFactory`.
@Suite("Telemetry metrics with the OTLP exporter provider", .serialized, .timeLimit(.minutes(10)))
struct OTLPMetricsTelemetryTests {
    @Test("metrics configured from the environment reach the receiver with the spans' resource and exemplars", arguments: OTLPMetricsReceiverTests.protocols)
    func fromEnvironment(_ protocolChoice: OTLPProtocol) async throws {
        guard let receiver = try await ReceiverProcess.start() else { return }
        defer { receiver.stop() }
        let base = protocolChoice == .grpc ? "http://127.0.0.1:\(receiver.grpcPort)" : "http://127.0.0.1:\(receiver.httpPort)"
        let configuration = TelemetryConfiguration.fromEnvironment([
            "TELEMETRY_ENABLED": "true",
            "OTEL_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT": base,
            "OTEL_EXPORTER_OTLP_PROTOCOL": protocolChoice.rawValue,
            "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION": "gzip",
            "OTEL_METRICS_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "delta",
            "OTEL_METRIC_EXPORT_INTERVAL": "3600000",
            "OTEL_SERVICE_NAME": "checkout",
            "OTEL_TRACE_SAMPLE": "1.0",
            "OTEL_BSP_SCHEDULE_DELAY": "20",
            "LOG_SPANS": "none",
            "LOG_LEVEL": "warning",
        ])
        let telemetry = Telemetry.make(configuration, exporters: OTLPExporterProvider())
        #expect(telemetry.configuration.warnings.isEmpty, "\(telemetry.configuration.warnings)")
        let factory = try #require(telemetry.metricsFactory)
        let tracer = try #require(telemetry.tracer)
        let payments = Counter(label: "payments_total", dimensions: [("outcome", "declined")], factory: factory)
        let context = tracer.withSpan("http.server", ofKind: .server) { span -> SpanContext in
            payments.increment()
            return span.spanContext
        }
        await telemetry.flush()
        let requests = await receiver.waitFor {
            decodedMetrics($0).contains { $0.name == "payments_total" } && !decodedSpans($0).isEmpty
        }
        await telemetry.shutdown()

        let metricRequest = try #require(requests.first { $0["signal"] as? String == "metrics" })
        if protocolChoice != .grpc { #expect(metricRequest["content_encoding"] as? String == "gzip") }
        let metric = try #require(decodedMetrics(requests).first { $0.name == "payments_total" })
        #expect(metric.type == "sum" && metric.monotonic)
        #expect(metric.temporality == 1, "delta, from OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE")
        let point = try #require(metric.points.first)
        #expect((point["value"] as? NSNumber)?.int64Value == 1)
        #expect(pointAttributes(point) == ["outcome": "declined"])
        let exemplar = try #require((point["exemplars"] as? [[String: Any]])?.first)
        #expect(exemplar["trace_id"] as? String == context.traceID.description)
        #expect(exemplar["span_id"] as? String == context.spanID.description)

        // One resource for spans and metrics.
        let metricResource = try #require(
            ((metricRequest["request"] as? [String: Any])?["resourceMetrics"] as? [[String: Any]])?.first?["resource"] as? [String: Any])
        let spanResource = try #require(decodedSpans(requests).first?.resource)
        #expect(attributeMap(metricResource)["service.name"]?["stringValue"] as? String == "checkout")
        let metricAttributes = attributeMap(metricResource).mapValues { $0["stringValue"] as? String }
        let spanAttributes = attributeMap(spanResource).mapValues { $0["stringValue"] as? String }
        #expect(metricAttributes == spanAttributes)
    }
}
