import CoreMetrics
import Prometheus

extension Telemetry {
    /// What ``make(_:exporters:)`` builds for metrics.
    struct MetricsParts {
        var registry: PrometheusCollectorRegistry?
        var factory: (any MetricsFactory)?
        var reader: PeriodicMetricReader?
    }

    /// The metrics `OTEL_METRICS_EXPORTER` (or the backend) asks for: a Prometheus registry for
    /// `prometheus`; SpanLog's backend and a periodic reader for `otlp` and `console`; both
    /// behind one `MultiplexMetricsHandler` when both are asked for. `nil` when none is.
    static func makeMetrics(
        _ configuration: TelemetryConfiguration, provider: (any TelemetryExporterProvider)?, console: ConsoleSink, warn: (String) -> Void
    ) -> MetricsParts? {
        let choices = configuration.metrics.exporterChoices(backend: configuration.backend)
        guard !choices.isEmpty else { return nil }
        var exporters: [any MetricExporter] = []
        for choice in choices {
            switch choice {
            case .otlp:
                if let provider {
                    if let exporter = provider.makeMetricExporter(configuration, warn: warn) { exporters.append(exporter) }
                } else {
                    warn(
                        "OTEL_METRICS_EXPORTER=otlp but this program was built without an OTLP exporter (pass one to "
                            + "Telemetry.bootstrap, e.g. from SpanLogOTLP); using no OTLP metrics")
                }
            case .console:
                exporters.append(ConsoleMetricExporter(sink: console))
            case .prometheus, .none:
                break
            }
        }
        var parts = MetricsParts()
        var factories: [any MetricsFactory] = []
        if choices.contains(.prometheus) {
            let registry = PrometheusCollectorRegistry()
            parts.registry = registry
            factories.append(PrometheusMetricsFactory(registry: registry))
        }
        if !exporters.isEmpty {
            let factory = SpanLogMetricsFactory(configuration: configuration.metrics.aggregation)
            parts.reader = PeriodicMetricReader(
                factory: factory, exporters: exporters, resource: configuration.resource, configuration: configuration.metrics.reader)
            factories.append(factory)
        }
        switch factories.count {
        case 0: return nil
        case 1: parts.factory = factories[0]
        default: parts.factory = MultiplexMetricsHandler(factories: factories)
        }
        return parts
    }
}
