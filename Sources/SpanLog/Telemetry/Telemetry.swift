public import CoreMetrics
import Instrumentation
public import Logging
import Metrics
public import Prometheus
public import ServiceLifecycle
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Logging, tracing and metrics for an application, configured in one place — from the
/// environment, off by default (the seed's factory). It is a ServiceLifecycle `Service`: run it
/// in the service group and it flushes everything on graceful shutdown.
///
/// ```swift
/// let telemetry = Telemetry.bootstrap(.fromEnvironment())
/// let logger = Logger(label: "app")
/// let group = ServiceGroup(services: [server, telemetry], logger: logger)
/// try await group.run()
/// ```
public final class Telemetry: Service, Sendable {
    /// What was configured.
    public let configuration: TelemetryConfiguration
    /// The log pipeline every `SpanLogHandler` of this telemetry writes to.
    public let logPipeline: LogPipeline
    /// The tracer, or `nil` when tracing is off (telemetry disabled, `OTEL_SDK_DISABLED`, or the
    /// `prom` backend).
    public let tracer: SpanLogTracer?
    /// The Prometheus registry behind the metrics (`prom` and `hybrid` backends, or
    /// `prometheus` in `OTEL_METRICS_EXPORTER`), for `/metrics`.
    public let metricsRegistry: PrometheusCollectorRegistry?
    /// The swift-metrics backend ``bootstrap(_:exporters:)`` installs: Prometheus's, SpanLog's
    /// (``SpanLogMetricsFactory``, for OTLP and the console), or both through swift-metrics'
    /// `MultiplexMetricsHandler`; `nil` when there are no metrics.
    public let metricsFactory: (any MetricsFactory)?
    /// The reader that exports SpanLog's metrics backend (OTLP, console), or `nil`.
    public let metricReader: PeriodicMetricReader?
    private let logExporters: [any LogRecordExporter]

    private init(
        configuration: TelemetryConfiguration,
        logPipeline: LogPipeline,
        tracer: SpanLogTracer?,
        metricsRegistry: PrometheusCollectorRegistry?,
        metricsFactory: (any MetricsFactory)?,
        metricReader: PeriodicMetricReader?,
        logExporters: [any LogRecordExporter]
    ) {
        self.configuration = configuration
        self.logPipeline = logPipeline
        self.tracer = tracer
        self.metricsRegistry = metricsRegistry
        self.metricsFactory = metricsFactory
        self.metricReader = metricReader
        self.logExporters = logExporters
    }

    /// Builds everything without touching the process-wide systems, for tests and for code that
    /// wires loggers and tracers explicitly.
    public static func make(_ configuration: TelemetryConfiguration = .fromEnvironment(), exporters provider: (any TelemetryExporterProvider)? = nil) -> Telemetry {
        var warnings = configuration.warnings
        var configuration = configuration
        let warn: (String) -> Void = { warnings.append($0) }

        var outputs: [LogOutput] = []
        let textOnConsole: Bool
        switch configuration.logFormat {
        case .json: textOnConsole = false
        case .text: textOnConsole = true
        case .auto: textOnConsole = isatty(STDOUT_FILENO) == 1
        }
        let console = ConsoleSink.standardOutput
        outputs.append(LogOutput(encoder: textOnConsole ? TextRecordEncoder() : JSONRecordEncoder(), sinks: [console]))
        if let fileConfiguration = configuration.fileSink {
            outputs.append(LogOutput(encoder: JSONRecordEncoder(), sinks: [RotatingGzipFileSink(configuration: fileConfiguration)]))
        }
        let tracingOn = configuration.enabled && configuration.backend != .prom
        let logExporters = tracingOn ? [provider?.makeLogExporter(configuration, warn: warn)].compactMap { $0 } : []
        let pipeline = LogPipeline(levels: configuration.levels, filters: [TraceIdFilter(), configuration.redaction], outputs: outputs, exporters: logExporters)

        var tracer: SpanLogTracer?
        if tracingOn {
            var exporterKind = configuration.exporter
            var spanExporter: (any SpanExporter)?
            if exporterKind == .otlp {
                if configuration.endpoint == nil {
                    warn("OTEL_EXPORTER=otlp but no OTEL_ENDPOINT (or OTEL_EXPORTER_OTLP_ENDPOINT) is set; using the console exporter")
                    exporterKind = .console
                } else if let provider {
                    spanExporter = provider.makeSpanExporter(configuration, warn: warn)
                    if spanExporter == nil { exporterKind = .console }
                } else {
                    warn("OTEL_EXPORTER=otlp but this program was built without an OTLP exporter (pass one to Telemetry.bootstrap, e.g. from SpanLogOTLP); using the console exporter")
                    exporterKind = .console
                }
                configuration.exporter = exporterKind
            }
            if exporterKind == .console {
                // Span records already reach standard output through the log pipeline unless
                // LOG_SPANS=none: exporting them again would print each span twice.
                let alreadyPrinted = configuration.logSpans != .none && pipeline.writes(to: console)
                spanExporter = alreadyPrinted ? nil : ConsoleSpanExporter(sink: console)
            }
            tracer = SpanLogTracer(
                configuration: SpanLogTracer.Configuration(
                    resource: configuration.resource,
                    sampler: configuration.sampler,
                    logSpans: configuration.logSpans,
                    tailSampling: TailSampler.Configuration(slowThresholdMilliseconds: configuration.slowRequestMilliseconds),
                    batching: configuration.batching,
                    limits: configuration.spanLimits,
                    redaction: configuration.redaction
                ),
                logPipeline: pipeline,
                exporter: spanExporter
            )
        }

        let metrics = configuration.enabled ? Self.makeMetrics(configuration, provider: provider, console: console, warn: warn) : nil

        configuration.warnings = warnings
        if !warnings.isEmpty {
            let logger = Logger(label: "spanlog.config") { SpanLogHandler(label: $0, pipeline: pipeline) }
            for warning in warnings {
                reportToStandardError(warning)
                logger.warning("\(warning)")
            }
        }
        return Telemetry(
            configuration: configuration, logPipeline: pipeline, tracer: tracer, metricsRegistry: metrics?.registry,
            metricsFactory: metrics?.factory, metricReader: metrics?.reader, logExporters: logExporters)
    }

    /// Builds everything and bootstraps `LoggingSystem`, `InstrumentationSystem` (when tracing is
    /// on) and `MetricsSystem` (when there are metrics: ``metricsFactory``). Call it once, from
    /// the application.
    public static func bootstrap(_ configuration: TelemetryConfiguration = .fromEnvironment(), exporters provider: (any TelemetryExporterProvider)? = nil) -> Telemetry {
        let telemetry = Telemetry.make(configuration, exporters: provider)
        let pipeline = telemetry.logPipeline
        LoggingSystem.bootstrap { label in SpanLogHandler(label: label, pipeline: pipeline) }
        if let tracer = telemetry.tracer {
            InstrumentationSystem.bootstrap(tracer)
        }
        if let factory = telemetry.metricsFactory {
            MetricsSystem.bootstrap(factory)
        }
        return telemetry
    }

    /// A logger that writes through this telemetry's pipeline.
    public func logger(label: String) -> Logger {
        let pipeline = self.logPipeline
        return Logger(label: label) { SpanLogHandler(label: $0, pipeline: pipeline) }
    }

    /// Exports finished spans, log records and metrics and flushes every sink.
    public func flush() async {
        if let processor = self.tracer?.processor { await processor.forceFlush() }
        if let reader = self.metricReader { await reader.forceFlush() }
        for exporter in self.logExporters { await exporter.flush() }
        self.logPipeline.flush()
    }

    /// How long ``shutdown()`` takes at most: inside Kubernetes' default 30 s grace period.
    public static let defaultShutdownTimeout: Duration = .seconds(25)

    /// Flushes everything, then stops exporters and sinks, within ``defaultShutdownTimeout``.
    /// Records logged afterwards still reach the console; file sinks count them as dropped.
    public func shutdown() async {
        await self.shutdown(timeout: Self.defaultShutdownTimeout)
    }

    /// Flushes everything, then stops exporters and sinks, returning within `timeout` whatever a
    /// collector, a disk or a console does. The local files go first — they are durable and
    /// hold every span record — then the exporters share what is left of the time; what a
    /// deadline cuts off is counted as dropped by the part it cut off. Returns whether everything
    /// finished in time.
    @discardableResult
    public func shutdown(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: max(.zero, min(timeout, .seconds(86_400))))
        let sinksFinished = self.logPipeline.shutdown(deadline: deadline)
        let tracer = self.tracer
        let logExporters = self.logExporters
        let metricReader = self.metricReader
        let remaining = ContinuousClock.now.duration(to: deadline)
        // The exporters' own deadlines are longer (30 s export timeouts): this one wins.
        let exporters = await DeadlineRace.run(within: remaining) {
            await withTaskGroup(of: Void.self) { group in
                if let tracer { group.addTask { await tracer.shutdown(timeout: remaining) } }
                for exporter in logExporters { group.addTask { await exporter.shutdown(timeout: remaining) } }
                if let metricReader { group.addTask { await metricReader.shutdown(timeout: remaining) } }
            }
        }
        return sinksFinished && exporters == .finished
    }

    /// Waits for the service group's graceful shutdown, then calls ``shutdown()``.
    public func run() async throws {
        try? await gracefulShutdown()
        await self.shutdown()
    }
}
