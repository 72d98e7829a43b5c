import SpanLog
import Testing

@Suite("OpenTelemetry export settings while telemetry is off")
struct IgnoredExportSettingsTests {
    /// The configuration's warnings that are about ignored export settings.
    func ignoredWarnings(_ environment: [String: String]) -> [String] {
        TelemetryConfiguration.fromEnvironment(environment).warnings.filter { $0.contains("export settings are ignored") }
    }

    @Test("off with OTLP settings: one warning naming each variable and TELEMETRY_ENABLED=true")
    func oneWarningNamesEverything() throws {
        let warnings = self.ignoredWarnings([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://tempo:4318/v1/traces",
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://loki:3100/otlp/v1/logs",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://prometheus:9090/api/v1/otlp/v1/metrics",
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_LOGS_EXPORTER": "otlp",
            "OTEL_METRICS_EXPORTER": "otlp",
            "OTEL_EXPORTER": "otlp",
            "OTEL_ENDPOINT": "http://tempo:4317",
            "OTEL_SERVICE_NAME": "checkout",
        ])
        #expect(warnings.count == 1, "\(warnings)")
        let warning = try #require(warnings.first)
        for variable in [
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_TRACES_EXPORTER=otlp", "OTEL_LOGS_EXPORTER=otlp", "OTEL_METRICS_EXPORTER=otlp",
            "OTEL_EXPORTER=otlp", "OTEL_ENDPOINT=http://tempo:4317",
        ] {
            #expect(warning.contains(variable), "\(variable) missing from \(warning)")
        }
        #expect(warning.contains("TELEMETRY_ENABLED is not set"))
        #expect(warning.contains("set TELEMETRY_ENABLED=true"))
        #expect(!warning.contains("OTEL_SERVICE_NAME"))
    }

    @Test("the warning reaches standard error and the log once, from Telemetry.make")
    func reachesTheLogOnce() {
        let configuration = TelemetryConfiguration.fromEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "TELEMETRY_ENABLED": "false"])
        let telemetry = Telemetry.make(configuration)
        let matching = telemetry.configuration.warnings.filter { $0.contains("OTEL_EXPORTER_OTLP_ENDPOINT") }
        #expect(matching.count == 1)
        #expect(matching.first?.contains("TELEMETRY_ENABLED=false") == true)
        #expect(telemetry.tracer == nil)  // still off: nothing is exported
    }

    @Test("secrets are named, never shown")
    func secretsAreNotShown() throws {
        let warning = try #require(self.ignoredWarnings([
            "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20s3cr3t-token",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "x-api-key=k3y-value",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://user:pa55word@collector:4318",
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "https://collector:4318/v1/logs?token=t0ken",
            "OTEL_EXPORTER_OTLP_CLIENT_KEY": "/etc/keys/client-key.pem",
        ]).first)
        for secret in ["s3cr3t", "k3y-value", "pa55word", "t0ken", "client-key.pem"] {
            #expect(!warning.contains(secret), "\(secret) shown in \(warning)")
        }
        for name in ["OTEL_EXPORTER_OTLP_HEADERS (value not shown)", "OTEL_EXPORTER_OTLP_TRACES_HEADERS (value not shown)",
                     "OTEL_EXPORTER_OTLP_ENDPOINT (value not shown)", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT (value not shown)",
                     "OTEL_EXPORTER_OTLP_CLIENT_KEY (value not shown)"] {
            #expect(warning.contains(name), "\(name) missing from \(warning)")
        }
    }

    @Test(
        "no warning when telemetry is on, switched off the standard way, or nothing asks for export",
        arguments: [
            ["TELEMETRY_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_TRACES_EXPORTER": "otlp"],
            ["OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"],
            [:],
            ["OTEL_SERVICE_NAME": "checkout", "OTEL_RESOURCE_ATTRIBUTES": "team=a", "OTEL_TRACE_SAMPLE": "0.5", "LOG_LEVEL": "debug"],
            ["OTEL_TRACES_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "NONE", "OTEL_EXPORTER": "none"],
            ["OTEL_EXPORTER_OTLP_ENDPOINT": "   "],
        ]
    )
    func noWarning(environment: [String: String]) {
        #expect(self.ignoredWarnings(environment).isEmpty)
    }
}
