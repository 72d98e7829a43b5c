public import SpanLog

extension OTLPExporterProvider {
    /// An OTLP metric exporter when `OTEL_METRICS_EXPORTER` lists `otlp`, configured from the
    /// `OTEL_EXPORTER_OTLP[_METRICS]_*` variables and
    /// `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, with this provider's header
    /// provider; `nil` otherwise, or after `warn` when its endpoint cannot be used.
    ///
    /// ```swift
    /// // OTEL_METRICS_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318
    /// let exporter = OTLPExporterProvider().makeMetricExporter(.fromEnvironment(), warn: { print($0) })
    /// ```
    public func makeMetricExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any MetricExporter)? {
        guard configuration.metrics.exporterChoices(backend: configuration.backend).contains(.otlp) else { return nil }
        guard let exporterConfiguration = self.exporterConfiguration(configuration, signal: .metrics, warn: warn) else { return nil }
        let preference = Self.temporalityPreference(configuration.environment, warn: warn)
        do {
            return try OTLPMetricExporter(configuration: exporterConfiguration, temporalityPreference: preference, reporter: self.reporter)
        } catch {
            warn("OTLP metric exporter for \(exporterConfiguration.endpoint) could not be created: \(error); metrics are not exported over OTLP")
            return nil
        }
    }

    /// `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`: `cumulative` (the default), `delta`
    /// or `lowmemory` (any case); anything else is `cumulative` with a warning.
    package static func temporalityPreference(_ environment: [String: String], warn: (String) -> Void) -> OTLPMetricTemporalityPreference {
        var reader = EnvironmentReader(environment)
        defer { reader.warnings.forEach(warn) }
        return reader.choice("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", default: OTLPMetricTemporalityPreference.cumulative)
    }
}
