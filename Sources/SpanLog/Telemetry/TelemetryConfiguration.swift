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
    /// `OTEL_RESOURCE_ATTRIBUTES`, without `service.name`.
    public var resourceAttributes: [String: String] = [:]
    /// The head sampler (`OTEL_TRACE_SAMPLE`, or `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`).
    public var sampler: any Sampler = ParentBasedSampler(root: TraceIDRatioSampler(ratio: 0.02))
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
    /// `LOG_DIR` and the other file variables; `nil` when `LOG_DIR` is unset.
    public var fileSink: RotatingGzipFileSink.Configuration?
    /// The environment the configuration was read from, for exporter providers that read their
    /// own variables (`OTEL_EXPORTER_OTLP_*`).
    public var environment: [String: String] = [:]
    /// One line per variable whose value could not be used.
    public var warnings: [String] = []

    /// The defaults: telemetry off, JSON or text logging at `info` to standard output.
    public init() {}

    /// The resource every span record carries.
    public var resource: Resource {
        Resource(serviceName: self.serviceName, attributes: self.resourceAttributes)
    }

    /// Reads the configuration from `environment` (the process environment by default).
    public static func fromEnvironment(_ environment: [String: String]? = nil) -> TelemetryConfiguration {
        let environment = environment ?? processEnvironment()
        var reader = EnvironmentReader(environment)
        var configuration = TelemetryConfiguration()
        configuration.environment = environment

        let sdkDisabled = reader.bool("OTEL_SDK_DISABLED", default: false)
        configuration.enabled = reader.bool("TELEMETRY_ENABLED", default: false) && !sdkDisabled
        configuration.backend = reader.choice("TELEMETRY_BACKEND", default: Backend.otel)

        if reader.raw("OTEL_EXPORTER") != nil {
            configuration.exporter = reader.choice("OTEL_EXPORTER", default: Exporter.console)
        } else if let standard = reader.raw("OTEL_TRACES_EXPORTER") {
            // The standard variable may list several exporters; the first one we know wins.
            let first = standard.split(separator: ",").first.map { String($0).trimmingASCIIWhitespace().lowercased() } ?? ""
            if let exporter = Exporter(rawValue: first) {
                configuration.exporter = exporter
            } else {
                reader.warn("OTEL_TRACES_EXPORTER", standard, "is not one of console|otlp|none", using: "console")
            }
        }
        configuration.endpoint = reader.raw("OTEL_ENDPOINT") ?? reader.raw("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            ?? reader.raw("OTEL_EXPORTER_OTLP_ENDPOINT")

        configuration.resourceAttributes = Self.parseResourceAttributes(reader.raw("OTEL_RESOURCE_ATTRIBUTES"), reader: &reader)
        let resourceServiceName = configuration.resourceAttributes.removeValue(forKey: "service.name")
        configuration.serviceName = reader.raw("OTEL_SERVICE_NAME") ?? resourceServiceName ?? "unknown_service"

        configuration.sampler = Self.parseSampler(&reader)
        configuration.slowRequestMilliseconds = reader.integer("TELEMETRY_SLOW_REQUEST_MS", default: 2000, range: 0...86_400_000)
        configuration.logSpans = reader.choice("LOG_SPANS", default: SpanLogging.all)
        configuration.batching = BatchSpanProcessor.Configuration(
            scheduleDelayMilliseconds: reader.integer("OTEL_BSP_SCHEDULE_DELAY", default: 5000, range: 0...3_600_000),
            maxQueueSize: reader.integer("OTEL_BSP_MAX_QUEUE_SIZE", default: 2048, range: 1...10_000_000),
            maxExportBatchSize: reader.integer("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", default: 512, range: 1...10_000_000),
            exportTimeoutMilliseconds: reader.integer("OTEL_BSP_EXPORT_TIMEOUT", default: 30000, range: 1...3_600_000)
        )
        configuration.levels = Self.parseLevels(reader.raw("LOG_LEVEL"), reader: &reader)
        configuration.logFormat = reader.choice("LOG_FORMAT", default: LogFormat.auto)
        var fileWarnings: [String] = []
        configuration.fileSink = RotatingGzipFileSink.Configuration.fromEnvironment(
            environment,
            defaultFileName: configuration.serviceName,
            warn: { fileWarnings.append($0) }
        )
        configuration.warnings = reader.warnings + fileWarnings
        return configuration
    }

    /// `OTEL_TRACE_SAMPLE` wins; otherwise `OTEL_TRACES_SAMPLER` with `OTEL_TRACES_SAMPLER_ARG`;
    /// otherwise parent-based 2 %.
    private static func parseSampler(_ reader: inout EnvironmentReader) -> any Sampler {
        let defaultRatio = 0.02
        if reader.raw("OTEL_TRACE_SAMPLE") != nil {
            if let ratio = reader.ratio("OTEL_TRACE_SAMPLE") {
                return ParentBasedSampler(root: TraceIDRatioSampler(ratio: ratio))
            }
            return ParentBasedSampler(root: TraceIDRatioSampler(ratio: defaultRatio))
        }
        guard let name = reader.raw("OTEL_TRACES_SAMPLER")?.lowercased() else {
            return ParentBasedSampler(root: TraceIDRatioSampler(ratio: defaultRatio))
        }
        let argument = reader.raw("OTEL_TRACES_SAMPLER_ARG") != nil ? reader.ratio("OTEL_TRACES_SAMPLER_ARG") : nil
        switch name {
        case "always_on": return ConstantSampler(.recordAndSample)
        case "always_off": return ConstantSampler(.drop)
        case "traceidratio": return TraceIDRatioSampler(ratio: argument ?? 1.0)
        case "parentbased_always_on": return ParentBasedSampler(root: ConstantSampler(.recordAndSample))
        case "parentbased_always_off": return ParentBasedSampler(root: ConstantSampler(.drop))
        case "parentbased_traceidratio": return ParentBasedSampler(root: TraceIDRatioSampler(ratio: argument ?? 1.0))
        default:
            reader.warn(
                "OTEL_TRACES_SAMPLER", name,
                "is not one of always_on|always_off|traceidratio|parentbased_always_on|parentbased_always_off|parentbased_traceidratio",
                using: "parentbased_traceidratio with ratio 0.02")
            return ParentBasedSampler(root: TraceIDRatioSampler(ratio: defaultRatio))
        }
    }

    /// `info` or `info,db=debug,http=warning`: a default level, then per-label overrides.
    private static func parseLevels(_ value: String?, reader: inout EnvironmentReader) -> LevelFilter {
        var filter = LevelFilter(default: .info)
        guard let value else { return filter }
        for (index, part) in value.split(separator: ",").enumerated() {
            let item = String(part).trimmingASCIIWhitespace()
            if let equals = item.firstIndex(of: "=") {
                let label = String(item[..<equals]).trimmingASCIIWhitespace()
                let levelText = String(item[item.index(after: equals)...]).trimmingASCIIWhitespace()
                if !label.isEmpty, let level = Logger.Level(rawValue: levelText.lowercased()) {
                    filter.overrides[label] = level
                } else {
                    reader.warn("LOG_LEVEL", item, "is not label=level with a level of trace|debug|info|notice|warning|error|critical", using: "no override for it")
                }
            } else if index == 0, let level = Logger.Level(rawValue: item.lowercased()) {
                filter.defaultLevel = level
            } else {
                reader.warn("LOG_LEVEL", item, "is not one of trace|debug|info|notice|warning|error|critical", using: "info")
            }
        }
        return filter
    }

    /// `key1=value1,key2=value2` with percent-encoded values (W3C Baggage style, as the
    /// OpenTelemetry specification says).
    private static func parseResourceAttributes(_ value: String?, reader: inout EnvironmentReader) -> [String: String] {
        guard let value else { return [:] }
        var attributes: [String: String] = [:]
        for part in value.split(separator: ",") {
            let item = String(part).trimmingASCIIWhitespace()
            guard let equals = item.firstIndex(of: "="),
                case let key = String(item[..<equals]).trimmingASCIIWhitespace(), !key.isEmpty,
                let decoded = String(item[item.index(after: equals)...]).trimmingASCIIWhitespace().removingPercentEncodingStrictly()
            else {
                reader.warn("OTEL_RESOURCE_ATTRIBUTES", item, "is not key=value (value percent-encoded)", using: "the other attributes")
                continue
            }
            attributes[key] = decoded
        }
        return attributes
    }
}

extension String {
    /// Decodes `%XX` escapes; nil if an escape is malformed or the result is not UTF-8.
    func removingPercentEncodingStrictly() -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(self.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
