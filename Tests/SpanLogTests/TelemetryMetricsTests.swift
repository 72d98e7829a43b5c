import CoreMetrics
import Prometheus
import SpanLog
import Testing

@Suite("Telemetry: which metrics backend for each TELEMETRY_BACKEND and OTEL_METRICS_EXPORTER")
struct TelemetryMetricsTests {
    /// An exporter provider with an in-memory metric exporter (what SpanLogOTLP's provides).
    struct MetricProvider: TelemetryExporterProvider {
        let exporter = InMemoryMetricExporter()
        func makeSpanExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any SpanExporter)? { nil }
        func makeLogExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any LogRecordExporter)? { nil }
        func makeMetricExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any MetricExporter)? { self.exporter }
    }

    /// A provider that exports no metrics (the protocol's default).
    struct SpansOnlyProvider: TelemetryExporterProvider {
        func makeSpanExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any SpanExporter)? { nil }
        func makeLogExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any LogRecordExporter)? { nil }
    }

    private static func make(_ environment: [String: String], provider: (any TelemetryExporterProvider)? = nil) -> Telemetry {
        var full = ["TELEMETRY_ENABLED": "true", "LOG_FORMAT": "json", "LOG_SPANS": "none", "OTEL_EXPORTER": "none"]
        full.merge(environment) { $1 }
        return Telemetry.make(TelemetryConfiguration.fromEnvironment(full), exporters: provider)
    }

    private static func kind(_ telemetry: Telemetry) -> String {
        guard let factory = telemetry.metricsFactory else { return "none" }
        if factory is SpanLogMetricsFactory { return "spanlog" }
        if factory is MultiplexMetricsHandler { return "multiplex" }
        return String(describing: type(of: factory))
    }

    @Test(
        "the backend chooses when OTEL_METRICS_EXPORTER is unset; the variable chooses when set",
        arguments: [
            (["TELEMETRY_BACKEND": "otel"], "none", false, false),
            (["TELEMETRY_BACKEND": "prom"], "PrometheusMetricsFactory", true, false),
            (["TELEMETRY_BACKEND": "hybrid"], "PrometheusMetricsFactory", true, false),
            (["TELEMETRY_BACKEND": "otel", "OTEL_METRICS_EXPORTER": "console"], "spanlog", false, true),
            (["TELEMETRY_BACKEND": "hybrid", "OTEL_METRICS_EXPORTER": "console"], "spanlog", false, true),
            (["TELEMETRY_BACKEND": "otel", "OTEL_METRICS_EXPORTER": "otlp"], "spanlog", false, true),
            (["TELEMETRY_BACKEND": "otel", "OTEL_METRICS_EXPORTER": "otlp,prometheus"], "multiplex", true, true),
            (["TELEMETRY_BACKEND": "prom", "OTEL_METRICS_EXPORTER": "prometheus"], "PrometheusMetricsFactory", true, false),
            (["TELEMETRY_BACKEND": "hybrid", "OTEL_METRICS_EXPORTER": "none"], "none", false, false),
            (["TELEMETRY_ENABLED": "false", "OTEL_METRICS_EXPORTER": "otlp,prometheus"], "none", false, false),
        ])
    func selection(environment: [String: String], factory: String, registry: Bool, reader: Bool) async {
        let telemetry = Self.make(environment, provider: MetricProvider())
        #expect(Self.kind(telemetry) == factory)
        #expect((telemetry.metricsRegistry != nil) == registry)
        #expect((telemetry.metricReader != nil) == reader)
        await telemetry.shutdown(timeout: .seconds(2))
    }

    @Test("otlp without a provider, or with one that exports no metrics: one warning, no SpanLog backend")
    func otlpWithoutProvider() async {
        let noProvider = Self.make(["OTEL_METRICS_EXPORTER": "otlp"])
        #expect(Self.kind(noProvider) == "none")
        #expect(noProvider.configuration.warnings.contains { $0.hasPrefix("OTEL_METRICS_EXPORTER=otlp but this program was built without an OTLP exporter") })
        let spansOnly = Self.make(["OTEL_METRICS_EXPORTER": "otlp,prometheus"], provider: SpansOnlyProvider())
        #expect(Self.kind(spansOnly) == "PrometheusMetricsFactory")
        await noProvider.shutdown(timeout: .seconds(1))
        await spansOnly.shutdown(timeout: .seconds(1))
    }

    @Test("the metrics variables: interval, timeout, cardinality; bad values warned with the default")
    func variables() {
        let configuration = TelemetryConfiguration.fromEnvironment([
            "TELEMETRY_ENABLED": "true",
            "OTEL_METRICS_EXPORTER": "otlp, Console ,statsd",
            "OTEL_METRIC_EXPORT_INTERVAL": "15000",
            "OTEL_METRIC_EXPORT_TIMEOUT": "5000",
            "TELEMETRY_METRICS_CARDINALITY_LIMIT": "500",
        ])
        #expect(configuration.metrics.exporters == [.otlp, .console])
        #expect(configuration.metrics.reader.exportInterval == .seconds(15))
        #expect(configuration.metrics.reader.exportTimeout == .seconds(5))
        #expect(configuration.metrics.aggregation.cardinalityLimit == 500)
        #expect(configuration.warnings == ["OTEL_METRICS_EXPORTER=statsd is not one of otlp, prometheus, console, none; using the other items"])

        let defaults = TelemetryConfiguration.fromEnvironment([:])
        #expect(defaults.metrics.exporters == nil)
        #expect(defaults.metrics.reader.exportInterval == .seconds(60))
        #expect(defaults.metrics.reader.exportTimeout == .seconds(30))
        #expect(defaults.metrics.aggregation.cardinalityLimit == 2000)

        let bad = TelemetryConfiguration.fromEnvironment([
            "OTEL_METRIC_EXPORT_INTERVAL": "soon", "OTEL_METRIC_EXPORT_TIMEOUT": "0", "TELEMETRY_METRICS_CARDINALITY_LIMIT": "1",
        ])
        #expect(bad.metrics.reader.exportInterval == .seconds(60))
        #expect(bad.metrics.reader.exportTimeout == .seconds(30))
        #expect(bad.metrics.aggregation.cardinalityLimit == 2000)
        #expect(bad.warnings == [
            "OTEL_METRIC_EXPORT_INTERVAL=soon is not a whole number of milliseconds from 1 to 86400000; using 60000",
            "OTEL_METRIC_EXPORT_TIMEOUT=0 is not a whole number of milliseconds from 1 to 3600000; using 30000",
            "TELEMETRY_METRICS_CARDINALITY_LIMIT=1 is not an integer from 2 to 1000000; using 2000",
        ])
    }

    @Test("flush and shutdown export SpanLog's metrics; the multiplexed factory feeds both backends")
    func flushAndShutdown() async throws {
        let provider = MetricProvider()
        let telemetry = Self.make(["OTEL_METRICS_EXPORTER": "otlp,prometheus", "OTEL_SERVICE_NAME": "shop"], provider: provider)
        let factory = try #require(telemetry.metricsFactory)
        let counter = Counter(label: "orders_total", factory: factory)
        counter.increment(by: 2)
        await telemetry.flush()
        #expect(provider.exporter.exported.last?.metrics.stream("orders_total")?.point()?.integer == 2)
        #expect(provider.exporter.exported.last?.resource.serviceName == "shop")
        #expect(telemetry.metricsRegistry?.emitToString().contains("orders_total 2") == true)
        counter.increment()
        #expect(await telemetry.shutdown(timeout: .seconds(60)), "in-memory exporters: a bound for a loaded machine")
        #expect(provider.exporter.exported.last?.metrics.stream("orders_total")?.point()?.integer == 3)
        #expect(provider.exporter.wasShutDown)
    }
}
