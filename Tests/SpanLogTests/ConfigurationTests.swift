import Foundation
import Logging
import SpanLog
import Testing

@Suite("TelemetryConfiguration.fromEnvironment")
struct ConfigurationTests {
    @Test("defaults: off, otel backend, console exporter, 2 % parent-based, 2000 ms, LOG_SPANS=all, info")
    func defaults() throws {
        let configuration = TelemetryConfiguration.fromEnvironment([:])
        #expect(!configuration.enabled)
        #expect(configuration.backend == .otel)
        #expect(configuration.exporter == .console)
        #expect(configuration.endpoint == nil)
        #expect(configuration.serviceName == "unknown_service")
        let sampler = try #require(configuration.sampler as? ParentBasedSampler)
        #expect((sampler.root as? TraceIDRatioSampler)?.ratio == 0.02)
        #expect(configuration.slowRequestMilliseconds == 2000)
        #expect(configuration.logSpans == .all)
        #expect(configuration.levels.defaultLevel == .info)
        #expect(configuration.logFormat == .auto)
        #expect(configuration.fileSink == nil)
        #expect(configuration.batching == BatchSpanProcessor.Configuration())
        #expect(configuration.warnings.isEmpty)
        // Off: no tracer, no metrics, logging still works.
        let telemetry = Telemetry.make(configuration)
        #expect(telemetry.tracer == nil && telemetry.metricsRegistry == nil)
    }

    @Test("every variable is read")
    func everyVariable() throws {
        let configuration = TelemetryConfiguration.fromEnvironment([
            "TELEMETRY_ENABLED": "true",
            "TELEMETRY_BACKEND": "hybrid",
            "OTEL_EXPORTER": "none",
            "OTEL_ENDPOINT": "http://tempo:4317",
            "OTEL_SERVICE_NAME": "djp-workflow",
            "OTEL_TRACE_SAMPLE": "0.25",
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,team=a%20b",
            "TELEMETRY_SLOW_REQUEST_MS": "500",
            "LOG_SPANS": "sampled",
            "OTEL_BSP_SCHEDULE_DELAY": "100",
            "OTEL_BSP_MAX_QUEUE_SIZE": "10",
            "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "5",
            "OTEL_BSP_EXPORT_TIMEOUT": "1000",
            "LOG_LEVEL": "debug,db=trace,http=warning",
            "LOG_FORMAT": "text",
            "LOG_DIR": "/tmp/spanlog-config-test",
        ])
        #expect(configuration.warnings.isEmpty, "\(configuration.warnings)")
        #expect(configuration.enabled && configuration.backend == .hybrid && configuration.exporter == TelemetryConfiguration.Exporter.none)
        #expect(configuration.endpoint == "http://tempo:4317")
        #expect(configuration.serviceName == "djp-workflow")
        #expect(((configuration.sampler as? ParentBasedSampler)?.root as? TraceIDRatioSampler)?.ratio == 0.25)
        // OTEL_RESOURCE_ATTRIBUTES over the detected attributes (ResourceDetectionTests).
        #expect(configuration.resourceAttributes["deployment.environment"] == "prod" && configuration.resourceAttributes["team"] == "a b")
        #expect(configuration.slowRequestMilliseconds == 500)
        #expect(configuration.logSpans == .sampled)
        #expect(configuration.batching == BatchSpanProcessor.Configuration(scheduleDelayMilliseconds: 100, maxQueueSize: 10, maxExportBatchSize: 5, exportTimeoutMilliseconds: 1000))
        #expect(configuration.levels.defaultLevel == .debug)
        #expect(configuration.levels.level(forLabel: "db.pool") == .trace)
        #expect(configuration.levels.level(forLabel: "http") == .warning)
        #expect(configuration.logFormat == .text)
        #expect(configuration.fileSink?.directory == "/tmp/spanlog-config-test")
        #expect(configuration.fileSink?.fileName == "djp-workflow")
    }

    @Test("standard OpenTelemetry names work, and the seed's names win over them")
    func precedence() throws {
        let standard = TelemetryConfiguration.fromEnvironment([
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-resource",
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
            "OTEL_TRACES_SAMPLER_ARG": "0.5",
        ])
        #expect(standard.exporter == .otlp)
        #expect(standard.endpoint == "http://collector:4318")
        #expect(standard.serviceName == "from-resource")
        #expect(((standard.sampler as? ParentBasedSampler)?.root as? TraceIDRatioSampler)?.ratio == 0.5)
        let seedWins = TelemetryConfiguration.fromEnvironment([
            "OTEL_EXPORTER": "console", "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_ENDPOINT": "http://a:4317", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b:4318/v1/traces", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318",
            "OTEL_SERVICE_NAME": "seed", "OTEL_RESOURCE_ATTRIBUTES": "service.name=resource",
            "OTEL_TRACE_SAMPLE": "1.0", "OTEL_TRACES_SAMPLER": "always_off",
        ])
        #expect(seedWins.exporter == .console)
        #expect(seedWins.endpoint == "http://a:4317")
        #expect(seedWins.serviceName == "seed")
        #expect(((seedWins.sampler as? ParentBasedSampler)?.root as? TraceIDRatioSampler)?.ratio == 1.0)
        let perSignal = TelemetryConfiguration.fromEnvironment(["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b:4318/v1/traces", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"])
        #expect(perSignal.endpoint == "http://b:4318/v1/traces")
        // OTEL_SDK_DISABLED switches tracing off even with TELEMETRY_ENABLED.
        #expect(!TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true", "OTEL_SDK_DISABLED": "true"]).enabled)
        for (name, kind) in [("always_on", "ConstantSampler"), ("always_off", "ConstantSampler"), ("traceidratio", "TraceIDRatioSampler"), ("parentbased_always_on", "ParentBasedSampler")] {
            let sampler = TelemetryConfiguration.fromEnvironment(["OTEL_TRACES_SAMPLER": name]).sampler
            #expect(String(describing: type(of: sampler)) == kind)
        }
    }

    @Test(
        "every invalid value: one warning naming the variable and the value, and the documented fallback",
        arguments: [
            ("TELEMETRY_ENABLED", "maybe", "using false"),
            ("TELEMETRY_BACKEND", "zipkin", "using otel"),
            ("OTEL_EXPORTER", "jaeger", "using console"),
            ("OTEL_TRACES_EXPORTER", "zipkin", "using console"),
            ("OTEL_TRACE_SAMPLE", "2.5", "using 0.02"),
            ("OTEL_TRACE_SAMPLE", "abc", "using 0.02"),
            ("OTEL_TRACES_SAMPLER", "sometimes", "using parentbased_traceidratio with ratio 0.02"),
            ("OTEL_TRACES_SAMPLER_ARG", "-1", "using 1.0"),
            ("TELEMETRY_SLOW_REQUEST_MS", "fast", "using 2000"),
            ("TELEMETRY_SLOW_REQUEST_MS", "86400001", "using 2000"),
            ("TELEMETRY_SLOW_REQUEST_MS", "99999999999999999999", "using 2000"),
            ("LOG_SPANS", "some", "using all"),
            ("OTEL_BSP_SCHEDULE_DELAY", "-5", "using 5000"),
            ("OTEL_BSP_MAX_QUEUE_SIZE", "0", "using 2048"),
            ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "x", "using 512"),
            ("OTEL_BSP_EXPORT_TIMEOUT", "1e9", "using 30000"),
            ("OTEL_BSP_EXPORT_TIMEOUT", "3600001", "using 30000"),
            ("OTEL_BSP_MAX_QUEUE_SIZE", "10000001", "using 2048"),
            ("LOG_LEVEL", "verbose", "using info"),
            ("LOG_LEVEL", "info,db=loud", "no override for it"),
            ("LOG_FORMAT", "xml", "using auto"),
            ("OTEL_RESOURCE_ATTRIBUTES", "novalue", "the other attributes"),
            ("OTEL_SDK_DISABLED", "perhaps", "using false"),
        ]
    )
    func invalidValues(variable: String, value: String, fallback: String) throws {
        var environment = ["TELEMETRY_ENABLED": "true"]
        environment[variable] = value
        if variable == "OTEL_TRACES_SAMPLER_ARG" { environment["OTEL_TRACES_SAMPLER"] = "traceidratio" }
        let configuration = TelemetryConfiguration.fromEnvironment(environment)
        #expect(configuration.warnings.count == 1, "\(configuration.warnings)")
        let warning = try #require(configuration.warnings.first)
        #expect(warning.contains(variable))
        #expect(warning.contains(value) || warning.contains(value.split(separator: ",").last.map(String.init) ?? value))
        #expect(warning.contains(fallback), "\(warning)")
        // The fallback is really in force.
        let defaults = TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true"])
        switch variable {
        case "TELEMETRY_BACKEND": #expect(configuration.backend == defaults.backend)
        case "OTEL_EXPORTER", "OTEL_TRACES_EXPORTER": #expect(configuration.exporter == .console)
        case "OTEL_TRACE_SAMPLE", "OTEL_TRACES_SAMPLER":
            #expect(((configuration.sampler as? ParentBasedSampler)?.root as? TraceIDRatioSampler)?.ratio == 0.02)
        case "TELEMETRY_SLOW_REQUEST_MS": #expect(configuration.slowRequestMilliseconds == 2000)
        case "LOG_SPANS": #expect(configuration.logSpans == .all)
        case "OTEL_BSP_SCHEDULE_DELAY", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "OTEL_BSP_EXPORT_TIMEOUT":
            #expect(configuration.batching == defaults.batching)
        case "LOG_LEVEL": #expect(configuration.levels.defaultLevel == .info && configuration.levels.overrides.isEmpty)
        case "LOG_FORMAT": #expect(configuration.logFormat == .auto)
        case "TELEMETRY_ENABLED": #expect(!configuration.enabled)
        default: break
        }
    }

    @Test("file sink variables join the factory, with their own warnings")
    func fileVariables() throws {
        let configuration = TelemetryConfiguration.fromEnvironment([
            "OTEL_SERVICE_NAME": "svc", "LOG_DIR": "/tmp/x", "LOG_ROTATE_BYTES": "abc", "LOG_GZIP_LEVEL": "3",
        ])
        #expect(configuration.fileSink?.gzipLevel == 3)
        #expect(configuration.fileSink?.rotateBytes == 64 << 20)
        #expect(configuration.warnings.contains { $0.contains("LOG_ROTATE_BYTES") && $0.contains("abc") })
    }

    @Test("OTEL_EXPORTER=otlp without an endpoint, or without an OTLP provider, falls back to console with a warning")
    func otlpFallbacks() throws {
        let noEndpoint = Telemetry.make(TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true", "OTEL_EXPORTER": "otlp", "LOG_SPANS": "none", "LOG_FORMAT": "json"]))
        #expect(noEndpoint.configuration.exporter == .console)
        #expect(noEndpoint.configuration.warnings.contains { $0.contains("OTEL_EXPORTER=otlp") && $0.contains("OTEL_ENDPOINT") })
        #expect(noEndpoint.tracer?.processor?.exporter is ConsoleSpanExporter)
        let noProvider = Telemetry.make(TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true", "OTEL_EXPORTER": "otlp", "OTEL_ENDPOINT": "http://127.0.0.1:4318", "LOG_SPANS": "none", "LOG_FORMAT": "json"]))
        #expect(noProvider.configuration.exporter == .console)
        #expect(noProvider.configuration.warnings.contains { $0.contains("without an OTLP exporter") })
    }

    @Test("backends: prom makes metrics without a tracer, hybrid makes both, otel only a tracer")
    func backends() throws {
        let prom = Telemetry.make(TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true", "TELEMETRY_BACKEND": "prom"]))
        #expect(prom.tracer == nil && prom.metricsRegistry != nil)
        let hybrid = Telemetry.make(TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true", "TELEMETRY_BACKEND": "hybrid"]))
        #expect(hybrid.tracer != nil && hybrid.metricsRegistry != nil)
        let otel = Telemetry.make(TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true"]))
        #expect(otel.tracer != nil && otel.metricsRegistry == nil)
    }
}
