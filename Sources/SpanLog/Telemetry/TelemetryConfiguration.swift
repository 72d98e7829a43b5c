import Logging

/// Everything the `Telemetry` factory sets up, read from environment variables with
/// ``fromEnvironment(_:)``. Every variable, its default and its precedence are listed in
/// `docs/configuration.md`. An invalid value never stops the program: it becomes one line in
/// ``warnings`` naming the variable, the bad value and what is used instead.
///
/// ```swift
/// let configuration = TelemetryConfiguration.fromEnvironment()
/// for warning in configuration.warnings { print(warning) }
/// let telemetry = Telemetry.bootstrap(configuration)
/// ```
public struct TelemetryConfiguration: Sendable {
    /// `TELEMETRY_BACKEND`.
    public enum Backend: String, Sendable, CaseIterable {
        /// Tracing only.
        case otel
        /// Prometheus metrics only.
        case prom
        /// Tracing and metrics.
        case hybrid
    }

    /// `OTEL_EXPORTER`: where sampled spans go.
    public enum Exporter: String, Sendable, CaseIterable {
        /// Span records as JSON lines on standard output.
        case console
        /// An OTLP collector (needs an exporter provider, e.g. the SpanLogOTLP module).
        case otlp
        /// Nowhere (spans still reach the log files, per `LOG_SPANS`).
        case none
    }

    /// `LOG_FORMAT`.
    public enum LogFormat: String, Sendable, CaseIterable {
        /// JSON lines.
        case json
        /// One human line per record.
        case text
        /// Text when standard output is a terminal, JSON otherwise.
        case auto
    }

    /// `TELEMETRY_ENABLED` (and not `OTEL_SDK_DISABLED`): the master switch for tracing and
    /// metrics. Off, they are no-ops; logging works either way.
    public var enabled: Bool = false
    /// `TELEMETRY_BACKEND`.
    public var backend: Backend = .otel
    /// `OTEL_EXPORTER` (or `OTEL_TRACES_EXPORTER`).
    public var exporter: Exporter = .console
    /// `OTEL_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`).
    public var endpoint: String?
    /// `OTEL_SERVICE_NAME` (or `service.name` in `OTEL_RESOURCE_ATTRIBUTES`).
    public var serviceName: String = "unknown_service"
    /// The detected attributes (``SpanLogResource/detected(serviceName:environment:)``) with
    /// `OTEL_RESOURCE_ATTRIBUTES` over them, without `service.name`.
    public var resourceAttributes: [String: String] = [:]
    /// The head sampler (`OTEL_TRACE_SAMPLE`, or `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`).
    public var sampler: any SpanLogSampler = ParentBasedSampler(root: TraceIDRatioSampler(ratio: 0.02))
    /// `TELEMETRY_SLOW_REQUEST_MS`: the tail rule's threshold.
    public var slowRequestMilliseconds: Int = 2000
    /// `LOG_SPANS`.
    public var logSpans: SpanLogging = .all
    /// `OTEL_BSP_*`.
    public var batching = BatchSpanProcessor.Configuration()
    /// `LOG_LEVEL`: a default level and optional per-label levels (`info,db=debug`).
    public var levels = LevelFilter(default: .info)
    /// `LOG_FORMAT`.
    public var logFormat: LogFormat = .auto
    /// Redaction of log metadata, span attributes and (when named) error messages: the default
    /// keys and words plus `LOG_REDACT_KEYS`.
    public var redaction = RedactionFilter()
    /// `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`, `OTEL_SPAN_EVENT_COUNT_LIMIT`, `OTEL_SPAN_LINK_COUNT_LIMIT`,
    /// `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT` (or `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`).
    public var spanLimits = SpanLimits()
    /// `OTEL_METRICS_EXPORTER`, `OTEL_METRIC_EXPORT_*` and the other metrics variables.
    public var metrics = Metrics()
    /// `LOG_DIR` and the other file variables; `nil` when `LOG_DIR` is unset.
    public var fileSink: RotatingGzipFileSink.Configuration?
    /// The environment the configuration was read from, for exporter providers that read their
    /// own variables (`OTEL_EXPORTER_OTLP_*`).
    public var environment: [String: String] = [:]
    /// One line per variable whose value could not be used.
    public var warnings: [String] = []

    /// The defaults: telemetry off, JSON or text logging at `info` to standard output.
    public init() {}

    /// The resource every span, log record and metric carries, in the files and over OTLP.
    public var resource: SpanLogResource {
        SpanLogResource(serviceName: self.serviceName, attributes: self.resourceAttributes)
    }

    /// Reads the configuration from `environment` (the process environment by default).
    public static func fromEnvironment(_ environment: [String: String]? = nil) -> TelemetryConfiguration {
        let environment = environment ?? EnvironmentReader.processEnvironment()
        var reader = EnvironmentReader(environment)
        var configuration = TelemetryConfiguration()
        configuration.environment = environment

        let sdkDisabled = reader.bool("OTEL_SDK_DISABLED", default: false)
        configuration.enabled = reader.bool("TELEMETRY_ENABLED", default: false) && !sdkDisabled
        configuration.backend = reader.choice("TELEMETRY_BACKEND", default: Backend.otel)

        if reader.raw("OTEL_EXPORTER") != nil {
            configuration.exporter = reader.choice("OTEL_EXPORTER", default: Exporter.console)
        } else if let first = reader.list("OTEL_TRACES_EXPORTER")?.first {
            // The standard variable may list several exporters; the first one is used.
            configuration.exporter = reader.choice("OTEL_TRACES_EXPORTER", first, default: Exporter.console)
        }
        configuration.endpoint = reader.raw("OTEL_ENDPOINT") ?? reader.raw("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            ?? reader.raw("OTEL_EXPORTER_OTLP_ENDPOINT")

        configuration.resourceAttributes = ResourceDetector.attributes(environment: environment)
        for (key, value) in reader.keyValueList("OTEL_RESOURCE_ATTRIBUTES", item: "key=value", using: "the other attributes") {
            configuration.resourceAttributes[key] = value
        }
        let resourceServiceName = configuration.resourceAttributes.removeValue(forKey: "service.name")
        configuration.serviceName = reader.raw("OTEL_SERVICE_NAME") ?? resourceServiceName ?? "unknown_service"

        configuration.sampler = Self.parseSampler(&reader)
        configuration.slowRequestMilliseconds = reader.milliseconds("TELEMETRY_SLOW_REQUEST_MS", default: 2000, range: 0...86_400_000)
        configuration.logSpans = reader.choice("LOG_SPANS", default: SpanLogging.all)
        configuration.batching = BatchSpanProcessor.Configuration(
            scheduleDelayMilliseconds: reader.milliseconds("OTEL_BSP_SCHEDULE_DELAY", default: 5000, range: 0...3_600_000),
            maxQueueSize: reader.integer("OTEL_BSP_MAX_QUEUE_SIZE", default: 2048, range: 1...10_000_000),
            maxExportBatchSize: reader.integer("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", default: 512, range: 1...10_000_000),
            exportTimeoutMilliseconds: reader.milliseconds("OTEL_BSP_EXPORT_TIMEOUT", default: 30000, range: 1...3_600_000)
        )
        configuration.spanLimits = Self.parseSpanLimits(&reader)
        if let extraKeys = reader.list("LOG_REDACT_KEYS") {
            configuration.redaction = RedactionFilter(keys: RedactionFilter.defaultKeys + extraKeys)
        }
        configuration.levels = Self.parseLevels(&reader)
        configuration.logFormat = reader.choice("LOG_FORMAT", default: LogFormat.auto)
        configuration.metrics = Self.parseMetrics(&reader)
        var fileWarnings: [String] = []
        configuration.fileSink = RotatingGzipFileSink.Configuration.fromEnvironment(
            environment,
            defaultFileName: configuration.serviceName,
            warn: { fileWarnings.append($0) }
        )
        configuration.warnings = reader.warnings + fileWarnings
        if let ignored = Self.ignoredExportSettingsWarning(environment, enabled: configuration.enabled) {
            configuration.warnings.append(ignored)
        }
        return configuration
    }

    /// OpenTelemetry's span limits; the span-specific value length wins over the general one.
    private static func parseSpanLimits(_ reader: inout EnvironmentReader) -> SpanLimits {
        let generalLength = reader.integer("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", default: 0, range: 1...(1 << 24), fallbackText: "no limit")
        let spanLength = reader.integer("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", default: 0, range: 1...(1 << 24), fallbackText: "no limit")
        let length = spanLength > 0 ? spanLength : generalLength
        return SpanLimits(
            attributeCountLimit: reader.integer("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", default: 128, range: 0...100_000),
            attributeValueLengthLimit: length > 0 ? length : nil,
            eventCountLimit: reader.integer("OTEL_SPAN_EVENT_COUNT_LIMIT", default: 128, range: 0...100_000),
            linkCountLimit: reader.integer("OTEL_SPAN_LINK_COUNT_LIMIT", default: 128, range: 0...100_000)
        )
    }

    /// `OTEL_TRACE_SAMPLE` wins; otherwise `OTEL_TRACES_SAMPLER` with `OTEL_TRACES_SAMPLER_ARG`;
    /// otherwise parent-based 2 %.
    private static func parseSampler(_ reader: inout EnvironmentReader) -> any SpanLogSampler {
        let defaultRatio = 0.02
        if reader.raw("OTEL_TRACE_SAMPLE") != nil {
            return ParentBasedSampler(root: TraceIDRatioSampler(ratio: reader.ratio("OTEL_TRACE_SAMPLE", default: defaultRatio)))
        }
        guard let name = reader.raw("OTEL_TRACES_SAMPLER") else {
            return ParentBasedSampler(root: TraceIDRatioSampler(ratio: defaultRatio))
        }
        let argument = reader.ratio("OTEL_TRACES_SAMPLER_ARG", default: 1.0)
        switch name.lowercased() {
        case "always_on": return ConstantSampler(.recordAndSample)
        case "always_off": return ConstantSampler(.drop)
        case "traceidratio": return TraceIDRatioSampler(ratio: argument)
        case "parentbased_always_on": return ParentBasedSampler(root: ConstantSampler(.recordAndSample))
        case "parentbased_always_off": return ParentBasedSampler(root: ConstantSampler(.drop))
        case "parentbased_traceidratio": return ParentBasedSampler(root: TraceIDRatioSampler(ratio: argument))
        default:
            reader.warn(
                "OTEL_TRACES_SAMPLER", name,
                "is not one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio",
                using: "parentbased_traceidratio with ratio 0.02")
            return ParentBasedSampler(root: TraceIDRatioSampler(ratio: defaultRatio))
        }
    }

    /// `LOG_LEVEL`: `info` or `info,db=debug,http=warning`, a default level, then per-label
    /// overrides.
    private static func parseLevels(_ reader: inout EnvironmentReader) -> LevelFilter {
        var filter = LevelFilter(default: .info)
        guard let items = reader.list("LOG_LEVEL") else { return filter }
        for (index, item) in items.enumerated() {
            if let equals = item.firstIndex(of: "=") {
                let label = String(item[..<equals]).trimmingASCIIWhitespace()
                let levelText = String(item[item.index(after: equals)...]).trimmingASCIIWhitespace()
                if !label.isEmpty, let level = Logger.Level(rawValue: levelText.lowercased()) {
                    filter.overrides[label] = level
                } else {
                    reader.warn("LOG_LEVEL", item, "is not label=level with a level of trace, debug, info, notice, warning, error, critical", using: "no override for it")
                }
            } else if index == 0, let level = Logger.Level(rawValue: item.lowercased()) {
                filter.defaultLevel = level
            } else {
                reader.warn("LOG_LEVEL", item, "is not one of trace, debug, info, notice, warning, error, critical", using: "info")
            }
        }
        return filter
    }
}
