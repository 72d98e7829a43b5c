import Logging
public import SpanLog

/// Gives `Telemetry` its OTLP exporters, so that `OTEL_EXPORTER=otlp` sends spans,
/// `OTEL_LOGS_EXPORTER=otlp` log records and `OTEL_METRICS_EXPORTER=otlp` metrics to a
/// collector, configured from the environment (`OTEL_ENDPOINT`, `OTEL_EXPORTER_OTLP_*`,
/// `OTEL_BLRP_*`; see `docs/otlp.md`).
///
/// ```swift
/// import SpanLog
/// import SpanLogOTLP
///
/// let telemetry = Telemetry.bootstrap(.fromEnvironment(), exporters: OTLPExporterProvider())
///
/// // With a bearer token that expires (see OTLPHeaderProvider):
/// let provider = OTLPExporterProvider(headerProvider: { [(name: "authorization", value: "Bearer \(try await tokens.current())")] })
/// ```
public struct OTLPExporterProvider: TelemetryExporterProvider {
    /// Receives the exporters' rate-limited failure reports.
    public var reporter: @Sendable (String) -> Void
    /// Fresh headers for every exporter it makes (credentials that expire); they win over
    /// `OTEL_EXPORTER_OTLP_HEADERS` name by name.
    public var headerProvider: OTLPHeaderProvider?

    /// Creates the provider.
    ///
    /// - Parameters:
    ///   - reporter: where failure reports go; by default a warning on the `spanlog.otlp`
    ///     logger (made when the report is written, so it goes through whatever
    ///     `LoggingSystem` was bootstrapped with).
    ///   - headerProvider: called before the first export and after the collector refused the
    ///     credentials (HTTP 401/403, gRPC `UNAUTHENTICATED`/`PERMISSION_DENIED`).
    public init(
        reporter: @escaping @Sendable (String) -> Void = OTLPExporterProvider.logWarning,
        headerProvider: OTLPHeaderProvider? = nil
    ) {
        self.reporter = reporter
        self.headerProvider = headerProvider
    }

    /// `signal`'s exporter configuration from the environment, with this provider's header
    /// provider; `nil` (after `warn`) when no usable endpoint is set.
    package func exporterConfiguration(
        _ configuration: TelemetryConfiguration, signal: OTLPSignal, warn: (String) -> Void
    ) -> OTLPExporterConfiguration? {
        guard var exporterConfiguration = OTLPExporterConfiguration.fromEnvironment(
            configuration.environment, signal: signal, endpoint: configuration.endpoint, warn: warn)
        else { return nil }
        exporterConfiguration.headerProvider = self.headerProvider
        return exporterConfiguration
    }

    /// The default reporter: a warning on the `spanlog.otlp` logger.
    public static let logWarning: @Sendable (String) -> Void = { message in
        Logger(label: "spanlog.otlp").warning("\(message)")
    }

    /// The span exporter `configuration` asks for, or `nil` (after `warn`) when its endpoint or
    /// protocol cannot be used.
    public func makeSpanExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any SpanExporter)? {
        guard let exporterConfiguration = self.exporterConfiguration(configuration, signal: .traces, warn: warn) else { return nil }
        do {
            return try OTLPSpanExporter(configuration: exporterConfiguration, reporter: self.reporter)
        } catch {
            warn("OTLP span exporter for \(exporterConfiguration.endpoint) could not be created: \(error); using the console exporter")
            return nil
        }
    }

    /// An OTLP log exporter when `OTEL_LOGS_EXPORTER` lists `otlp`; `nil` otherwise.
    public func makeLogExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any LogRecordExporter)? {
        let environment = configuration.environment
        guard let requested = EnvironmentReader(environment).list("OTEL_LOGS_EXPORTER"),
            requested.contains(where: { $0.lowercased() == "otlp" })
        else { return nil }
        guard let exporterConfiguration = self.exporterConfiguration(configuration, signal: .logs, warn: warn) else { return nil }
        let batching = Self.batching(environment, warn: warn)
        do {
            return try OTLPLogRecordExporter(
                configuration: exporterConfiguration, resource: configuration.resource, batching: batching, reporter: self.reporter)
        } catch {
            warn("OTLP log exporter for \(exporterConfiguration.endpoint) could not be created: \(error); log records are not exported")
            return nil
        }
    }

    /// `OTEL_BLRP_SCHEDULE_DELAY`, `OTEL_BLRP_MAX_QUEUE_SIZE`, `OTEL_BLRP_MAX_EXPORT_BATCH_SIZE`,
    /// `OTEL_BLRP_EXPORT_TIMEOUT` (milliseconds and counts).
    package static func batching(_ environment: [String: String], warn: (String) -> Void) -> OTLPLogRecordExporter.Batching {
        var reader = EnvironmentReader(environment)
        defer { reader.warnings.forEach(warn) }
        return OTLPLogRecordExporter.Batching(
            scheduleDelay: .milliseconds(reader.milliseconds("OTEL_BLRP_SCHEDULE_DELAY", default: 1000, range: 0...3_600_000)),
            maxQueueSize: reader.integer("OTEL_BLRP_MAX_QUEUE_SIZE", default: 2048, range: 1...10_000_000),
            maxExportBatchSize: reader.integer("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", default: 512, range: 1...10_000_000),
            exportTimeout: .milliseconds(reader.milliseconds("OTEL_BLRP_EXPORT_TIMEOUT", default: 30000, range: 1...3_600_000))
        )
    }
}
