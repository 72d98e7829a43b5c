import SpanLog
import SpanLogOTLP
import Testing

/// The metrics exporter's environment: endpoint, protocol and the per-signal variables, the
/// temporality preference, and the provider's choice.
@Suite("OTLP metrics configuration")
struct OTLPMetricsConfigurationTests {
    @Test("a base endpoint gets /v1/metrics; the METRICS endpoint is used as it is")
    func endpoints() throws {
        let base = try #require(OTLPExporterConfiguration.fromEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"], signal: .metrics))
        #expect(base.endpoint.description == "http://collector:4318/v1/metrics")
        let fromTraces = try #require(OTLPExporterConfiguration.fromEnvironment(["OTEL_ENDPOINT": "http://tempo:4318/v1/traces"], signal: .metrics))
        #expect(fromTraces.endpoint.description == "http://tempo:4318/v1/metrics")
        let full = try #require(OTLPExporterConfiguration.fromEnvironment(
            ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://metrics:9000/custom"], signal: .metrics))
        #expect(full.endpoint.description == "http://metrics:9000/custom")
        let grpc = try #require(OTLPExporterConfiguration.fromEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317"], signal: .metrics))
        #if OTLPGRPC
        #expect(grpc.protocol == .grpc)
        #else
        // No gRPC transport in this build: the documented fallback, OTLP/HTTP on the same address.
        #expect(grpc.protocol == .httpProtobuf)
        #endif
        #expect(OTLPSignal.metrics.httpPath == "/v1/metrics")
        #expect(OTLPSignal.metrics.grpcService == "opentelemetry.proto.collector.metrics.v1.MetricsService")
    }

    @Test("the _METRICS_ protocol, headers, timeout and compression win for metrics only")
    func perSignalVariables() throws {
        let environment = [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "http/json",
            "OTEL_EXPORTER_OTLP_HEADERS": "x-team=core,x-key=a",
            "OTEL_EXPORTER_OTLP_METRICS_HEADERS": "x-key=metrics",
            "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT": "2500",
            "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION": "gzip",
        ]
        let metrics = try #require(OTLPExporterConfiguration.fromEnvironment(environment, signal: .metrics))
        #expect(metrics.protocol == .httpJSON)
        #expect(metrics.timeout == .milliseconds(2500))
        #expect(metrics.compression == .gzip)
        #expect(metrics.headers.map { "\($0.name)=\($0.value)" }.sorted() == ["x-key=metrics", "x-team=core"])
        let traces = try #require(OTLPExporterConfiguration.fromEnvironment(environment, signal: .traces))
        #expect(traces.protocol == .httpProtobuf)
        #expect(traces.compression == .none)
    }

    @Test("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: cumulative by default, delta, lowmemory; anything else warns")
    func temporalityPreference() {
        var warnings: [String] = []
        let read = { (value: String?) -> OTLPMetricTemporalityPreference in
            let environment = value.map { ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": $0] } ?? [:]
            return OTLPExporterProvider.temporalityPreference(environment, warn: { warnings.append($0) })
        }
        #expect(read(nil) == .cumulative)
        #expect(read("delta") == .delta)
        #expect(read("LowMemory") == .lowmemory)
        #expect(warnings.isEmpty)
        #expect(read("sometimes") == .cumulative)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE") == true)
    }

    @Test("per instrument kind, as the specification's table says")
    func temporalityPerKind() {
        let kinds: [MetricStream.Kind] = [.sum(monotonic: true), .histogram, .sum(monotonic: false), .gauge]
        #expect(kinds.map { OTLPMetricTemporalityPreference.cumulative.temporality(for: $0) } == [.cumulative, .cumulative, .cumulative, .cumulative])
        #expect(kinds.map { OTLPMetricTemporalityPreference.delta.temporality(for: $0) } == [.delta, .delta, .cumulative, .cumulative])
        #expect(kinds.map { OTLPMetricTemporalityPreference.lowmemory.temporality(for: $0) } == [.delta, .delta, .cumulative, .cumulative])
        #expect(OTLPMetricTemporalityPreference.cumulative.temporality == .cumulative)
        #expect(OTLPMetricTemporalityPreference.lowmemory.temporality == .delta)
    }

    @Test("the provider makes a metric exporter only when OTEL_METRICS_EXPORTER lists otlp")
    func provider() async throws {
        let base = [
            "TELEMETRY_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "delta",
        ]
        var warnings: [String] = []
        var environment = base
        environment["OTEL_METRICS_EXPORTER"] = "otlp,console"
        let made = OTLPExporterProvider().makeMetricExporter(.fromEnvironment(environment), warn: { warnings.append($0) })
        let exporter = try #require(made as? OTLPMetricExporter)
        #expect(exporter.temporalityPreference == .delta)
        #expect(exporter.preferredTemporality == .delta)
        #expect(exporter.configuration.endpoint.description == "http://127.0.0.1:4318/v1/metrics")
        #expect(warnings.isEmpty, "\(warnings)")
        await exporter.shutdown(timeout: .seconds(5))

        // The provider's header provider (credentials that expire) reaches the metric exporter too.
        let withHeaders = OTLPExporterProvider(headerProvider: { [(name: "authorization", value: "Bearer t")] })
        let authorized = try #require(withHeaders.makeMetricExporter(.fromEnvironment(environment), warn: { warnings.append($0) }) as? OTLPMetricExporter)
        #expect(authorized.configuration.headerProvider != nil)
        await authorized.shutdown(timeout: .seconds(5))

        environment["OTEL_METRICS_EXPORTER"] = "console"
        #expect(OTLPExporterProvider().makeMetricExporter(.fromEnvironment(environment), warn: { warnings.append($0) }) == nil)

        var noEndpoint = ["TELEMETRY_ENABLED": "true", "OTEL_METRICS_EXPORTER": "otlp"]
        noEndpoint["OTEL_SERVICE_NAME"] = "x"
        #expect(OTLPExporterProvider().makeMetricExporter(.fromEnvironment(noEndpoint), warn: { warnings.append($0) }) == nil)
        #expect(warnings.contains { $0.contains("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") }, "\(warnings)")
    }
}
