extension TelemetryConfiguration {
    /// The one warning for a deployment that configured OpenTelemetry export the standard way but
    /// left SpanLog's switch off: telemetry is off unless `TELEMETRY_ENABLED=true` (the seed's
    /// safe default, which stays), so without it `OTEL_EXPORTER_OTLP_ENDPOINT` & co. would be
    /// ignored without a word. It names what is set and what to set; values that may hold
    /// secrets (headers, keys, URLs with user info or a query) are named, never shown. `nil` when
    /// telemetry is on, when `OTEL_SDK_DISABLED=true` says off on purpose, or when no export
    /// setting is there.
    ///
    /// ```
    /// telemetry is off (TELEMETRY_ENABLED is not set), so these OpenTelemetry export settings are ignored and nothing is exported: OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318, OTEL_EXPORTER_OTLP_HEADERS (value not shown); set TELEMETRY_ENABLED=true to export
    /// ```
    package static func ignoredExportSettingsWarning(_ environment: [String: String], enabled: Bool) -> String? {
        // A separate reader: fromEnvironment's own has already warned about bad values.
        var reader = EnvironmentReader(environment)
        guard !enabled, !reader.bool("OTEL_SDK_DISABLED", default: false) else { return nil }
        var settings: [String] = []
        for name in environment.keys.sorted() {
            guard let value = reader.raw(name), Self.isExportSetting(name, value: value) else { continue }
            settings.append(Self.shownSetting(name, value: value))
        }
        guard !settings.isEmpty else { return nil }
        let state = reader.raw("TELEMETRY_ENABLED").map { "TELEMETRY_ENABLED=\(EnvironmentReader.displayed($0))" } ?? "TELEMETRY_ENABLED is not set"
        return EnvironmentReader.withControlCharactersEscaped(
            "telemetry is off (\(state)), so these OpenTelemetry export settings are ignored and nothing is exported: "
                + settings.joined(separator: ", ") + "; set TELEMETRY_ENABLED=true to export")
    }

    /// The exporter choices that ask for export (anything but `none`), the seed's
    /// `OTEL_ENDPOINT`, and every `OTEL_EXPORTER_OTLP_*` variable.
    private static func isExportSetting(_ name: String, value: String) -> Bool {
        switch name {
        case "OTEL_EXPORTER", "OTEL_TRACES_EXPORTER", "OTEL_LOGS_EXPORTER", "OTEL_METRICS_EXPORTER":
            return value.lowercased() != "none"
        case "OTEL_ENDPOINT":
            return true
        default:
            return name.hasPrefix("OTEL_EXPORTER_OTLP_")
        }
    }

    /// `NAME=value` for exporter choices, protocols and endpoints without credentials;
    /// `NAME (value not shown)` for everything else (headers, certificate and key files).
    private static func shownSetting(_ name: String, value: String) -> String {
        let shown: Bool
        if name.hasSuffix("_EXPORTER") || name.hasSuffix("_PROTOCOL") || name.hasSuffix("_COMPRESSION") {
            shown = true
        } else if name.hasSuffix("_ENDPOINT") {
            shown = EnvironmentReader.disclosure(ofURL: value) == .shown
        } else {
            shown = false
        }
        return shown ? "\(name)=\(EnvironmentReader.displayed(value))" : "\(name) (value not shown)"
    }
}
