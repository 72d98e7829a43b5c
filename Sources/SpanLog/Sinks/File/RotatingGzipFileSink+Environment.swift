extension RotatingGzipFileSink.Configuration {
    /// Reads the file sink's configuration from environment variables; nil when `LOG_DIR` is
    /// unset or empty (no file logging).
    ///
    /// | variable | meaning | default |
    /// |---|---|---|
    /// | `LOG_DIR` | directory of the files | (unset: no file sink) |
    /// | `LOG_FILE_NAME` | name part of the files | `defaultFileName` (the service name) |
    /// | `LOG_ROTATE_BYTES` | size limit per file, 4096 to 2⁴⁰ (smaller is raised to 4096) | 67108864 |
    /// | `LOG_ROTATE_INTERVAL` | `none`, `hourly` or `daily` (UTC) | `daily` |
    /// | `LOG_RETAIN_FILES` | files kept, the active one included, 1 to 100000 | 30 |
    /// | `LOG_RETAIN_DAYS` | delete files older than this, 1 to 36500; `0` or empty keeps all | unset |
    /// | `LOG_FLUSH_MS` | flush interval, 1 to 3600000 | 1000 |
    /// | `LOG_GZIP_LEVEL` | 1–9 | 1 |
    /// | `LOG_QUEUE_POLICY` | `block` or `drop` | `block` |
    /// | `LOG_TRACE_INDEX` | `true` or `false`: a trace index beside each closed file | `true` |
    ///
    /// An empty value counts as unset. An invalid value never stops the program: `warn`
    /// receives one line naming the variable, the bad value and what is used instead
    /// (`LOG_FLUSH_MS=0 is not a whole number of milliseconds from 1 to 3600000; using 1000`),
    /// and the default is used.
    ///
    /// ```swift
    /// let environment = ProcessInfo.processInfo.environment
    /// if let configuration = RotatingGzipFileSink.Configuration.fromEnvironment(
    ///     environment, defaultFileName: "checkout", warn: { print($0) }) {
    ///     sinks.append(RotatingGzipFileSink(configuration: configuration))
    /// }
    /// ```
    public static func fromEnvironment(
        _ env: [String: String],
        defaultFileName: String,
        warn: (String) -> Void
    ) -> RotatingGzipFileSink.Configuration? {
        var reader = EnvironmentReader(env)
        defer { reader.warnings.forEach(warn) }
        guard let directory = reader.raw("LOG_DIR") else { return nil }
        var fallbackName = String(defaultFileName.map { $0 == "/" ? "_" : $0 })
        if !Self.isValidFileName(fallbackName) { fallbackName = "spanlog" }
        var configuration = RotatingGzipFileSink.Configuration(directory: directory, fileName: fallbackName)

        configuration.fileName = reader.string(
            "LOG_FILE_NAME", default: fallbackName, where: Self.isValidFileName,
            problem: "is not a usable file name (empty, '.', '..' or containing '/')")
        configuration.rotateBytes = reader.integer(
            "LOG_ROTATE_BYTES", default: configuration.rotateBytes, range: 4096...(1 << 40), raisingToMinimum: true)
        configuration.rotateInterval = reader.choice("LOG_ROTATE_INTERVAL", default: configuration.rotateInterval)
        configuration.retainFiles = reader.integer("LOG_RETAIN_FILES", default: configuration.retainFiles, range: 1...100_000)
        let retainDays = reader.integer(
            "LOG_RETAIN_DAYS", default: 0, range: 0...36_500, fallbackText: "0 (files are kept regardless of age)")
        configuration.retainDays = retainDays == 0 ? nil : retainDays
        configuration.flushIntervalMilliseconds = reader.milliseconds(
            "LOG_FLUSH_MS", default: configuration.flushIntervalMilliseconds, range: 1...3_600_000)
        configuration.gzipLevel = reader.integer("LOG_GZIP_LEVEL", default: configuration.gzipLevel, range: 1...9)
        configuration.queuePolicy = reader.choice("LOG_QUEUE_POLICY", default: configuration.queuePolicy)
        configuration.writesTraceIndex = reader.bool("LOG_TRACE_INDEX", default: configuration.writesTraceIndex)
        return configuration
    }
}
