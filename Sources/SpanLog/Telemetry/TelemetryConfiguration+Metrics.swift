extension TelemetryConfiguration {
    /// One item of `OTEL_METRICS_EXPORTER`: where metrics go.
    ///
    /// ```swift
    /// configuration.metrics.exporters = [.otlp, .prometheus]   // OTEL_METRICS_EXPORTER=otlp,prometheus
    /// ```
    public enum MetricsExporterChoice: String, Sendable, CaseIterable {
        /// An OTLP collector, through the exporter provider (SpanLogOTLP), every export interval.
        case otlp
        /// A Prometheus registry, scraped at `/metrics` (the seed's `prom` and `hybrid` backends).
        case prometheus
        /// JSON lines on standard output, every export interval (``ConsoleMetricExporter``).
        case console
        /// No metrics.
        case none
    }

    /// The metrics settings: where they go (`OTEL_METRICS_EXPORTER`), how often
    /// (`OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_METRIC_EXPORT_TIMEOUT`) and how they are aggregated
    /// (`OTEL_METRICS_EXEMPLAR_FILTER`, `TELEMETRY_METRICS_CARDINALITY_LIMIT`, boundaries).
    ///
    /// ```swift
    /// var configuration = TelemetryConfiguration.fromEnvironment()
    /// configuration.metrics.aggregation.histogramBoundaries["payload_bytes"] = [1024, 65_536, 1_048_576]
    /// ```
    public struct Metrics: Sendable {
        /// `OTEL_METRICS_EXPORTER`; `nil` leaves it to `TELEMETRY_BACKEND` (Prometheus for `prom`
        /// and `hybrid`, nothing for `otel`).
        public var exporters: [MetricsExporterChoice]?
        /// The backend's aggregation (SpanLog's backend, for OTLP and the console).
        public var aggregation = SpanLogMetricsFactory.Configuration()
        /// The periodic reader's interval and timeout.
        public var reader = PeriodicMetricReader.Configuration()

        /// The defaults: the backend chooses, OpenTelemetry's intervals and limits.
        public init() {}

        /// Where metrics go under `backend`: ``exporters`` when set (without `none`), otherwise
        /// Prometheus for `prom` and `hybrid` and nothing for `otel`.
        public func exporterChoices(backend: Backend) -> [MetricsExporterChoice] {
            if let exporters = self.exporters {
                var unique: [MetricsExporterChoice] = []
                for choice in exporters where choice != .none && !unique.contains(choice) { unique.append(choice) }
                return unique
            }
            return backend == .otel ? [] : [.prometheus]
        }
    }

    /// The metrics variables.
    static func parseMetrics(_ reader: inout EnvironmentReader) -> Metrics {
        var metrics = Metrics()
        if let items = reader.list("OTEL_METRICS_EXPORTER") {
            var choices: [MetricsExporterChoice] = []
            for item in items where !item.isEmpty {
                if let choice = MetricsExporterChoice(rawValue: item.lowercased()) {
                    choices.append(choice)
                } else {
                    let allowed = MetricsExporterChoice.allCases.map(\.rawValue).joined(separator: ", ")
                    reader.warn("OTEL_METRICS_EXPORTER", item, "is not one of \(allowed)", using: "the other items")
                }
            }
            metrics.exporters = choices
        }
        metrics.reader = PeriodicMetricReader.Configuration(
            exportInterval: .milliseconds(reader.milliseconds("OTEL_METRIC_EXPORT_INTERVAL", default: 60000, range: 1...86_400_000)),
            exportTimeout: .milliseconds(reader.milliseconds("OTEL_METRIC_EXPORT_TIMEOUT", default: 30000, range: 1...3_600_000))
        )
        metrics.aggregation.exemplarFilter = reader.choice("OTEL_METRICS_EXEMPLAR_FILTER", default: MetricExemplarFilter.traceBased)
        metrics.aggregation.cardinalityLimit = reader.integer(
            "TELEMETRY_METRICS_CARDINALITY_LIMIT", default: SpanLogMetricsFactory.Configuration.defaultCardinalityLimit, range: 2...1_000_000)
        return metrics
    }
}
