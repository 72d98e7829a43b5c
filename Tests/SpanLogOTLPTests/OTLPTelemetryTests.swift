import Foundation
import Logging
import SpanLog
import SpanLogOTLP
import Testing
import Tracing

/// The path an application takes: `Telemetry.make(.fromEnvironment(…), exporters: OTLPExporterProvider())`
/// with `OTEL_EXPORTER=otlp` and `OTEL_LOGS_EXPORTER=otlp`.
@Suite("Telemetry with the OTLP exporter provider", .serialized, .timeLimit(.minutes(15)))
struct OTLPTelemetryTests {
    static var protocols: [OTLPProtocol] {
        #if OTLPGRPC
        [.httpProtobuf, .httpJSON, .grpc]
        #else
        [.httpProtobuf, .httpJSON]
        #endif
    }

    @Test("spans and log records configured from the environment reach the receiver", arguments: Self.protocols)
    func fromEnvironment(_ protocolChoice: OTLPProtocol) async throws {
        guard let receiver = try await ReceiverProcess.start() else { return }
        defer { receiver.stop() }
        let endpoint = protocolChoice == .grpc
            ? "http://127.0.0.1:\(receiver.grpcPort)"
            : "http://127.0.0.1:\(receiver.httpPort)/v1/traces"
        let configuration = TelemetryConfiguration.fromEnvironment([
            "TELEMETRY_ENABLED": "true",
            "OTEL_EXPORTER": "otlp",
            "OTEL_ENDPOINT": endpoint,
            "OTEL_EXPORTER_OTLP_PROTOCOL": protocolChoice.rawValue,
            "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
            "OTEL_LOGS_EXPORTER": "otlp",
            "OTEL_SERVICE_NAME": "checkout",
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=staging",
            "OTEL_TRACE_SAMPLE": "1.0",
            "OTEL_BSP_SCHEDULE_DELAY": "20",
            "OTEL_BLRP_SCHEDULE_DELAY": "20",
            "LOG_SPANS": "none",
            "LOG_LEVEL": "warning",
            "LOG_FORMAT": "json",
        ])
        let telemetry = Telemetry.make(configuration, exporters: OTLPExporterProvider())
        #expect(telemetry.configuration.exporter == .otlp)
        #expect(telemetry.configuration.warnings.isEmpty, "\(telemetry.configuration.warnings)")
        let tracer = try #require(telemetry.tracer)
        let logger = telemetry.logger(label: "checkout.api")
        let traceID = tracer.withSpan("http.server", ofKind: .server) { span -> String in
            span.attributes["http.route"] = "/pay"
            logger.warning("card declined", metadata: ["attempt": "2"])
            return span.spanContext.traceID.description
        }
        await telemetry.flush()
        let requests = await receiver.waitFor { decodedSpans($0).count >= 1 && decodedLogRecords($0).count >= 1 }
        await telemetry.shutdown()

        let span = try #require(decodedSpans(requests).first)
        #expect(span.span["traceId"] as? String == traceID)
        #expect(attributeMap(span.resource)["service.name"]?["stringValue"] as? String == "checkout")
        #expect(attributeMap(span.resource)["deployment.environment"]?["stringValue"] as? String == "staging")
        let record = try #require(decodedLogRecords(requests).first)
        #expect(record.record["traceId"] as? String == traceID)
        #expect(record.record["severityNumber"] as? Int == 13)
        #expect(attributeMap(record.resource)["service.name"]?["stringValue"] as? String == "checkout")
    }
}
