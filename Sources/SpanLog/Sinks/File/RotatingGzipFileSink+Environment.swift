extension RotatingGzipFileSink.Configuration {
    /// Reads the file sink's configuration from environment variables; nil when `LOG_DIR` is
    /// unset or empty (no file logging).
    ///
    /// | variable | meaning | default |
    /// |---|---|---|
    /// | `LOG_DIR` | directory of the files | (unset: no file sink) |
    /// | `LOG_FILE_NAME` | name part of the files | `defaultFileName` (the service name) |
    /// | `LOG_ROTATE_BYTES` | size limit per file | 67108864 |
    /// | `LOG_ROTATE_INTERVAL` | `none`, `hourly` or `daily` (UTC) | `daily` |
    /// | `LOG_RETAIN_FILES` | files kept, the active one included | 30 |
    /// | `LOG_RETAIN_DAYS` | delete files older than this; `0` or empty keeps all | unset |
    /// | `LOG_FLUSH_MS` | flush interval | 1000 |
    /// | `LOG_GZIP_LEVEL` | 1–9 | 1 |
    /// | `LOG_QUEUE_POLICY` | `block` or `drop` | `block` |
    ///
    /// An invalid value never stops the program: `warn` receives one line naming the variable,
    /// the bad value and what is used instead, and the default is used.
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
        guard let directory = env["LOG_DIR"], !directory.isEmpty else { return nil }
        var fallbackName = String(defaultFileName.map { $0 == "/" ? "_" : $0 })
        if !Self.isValidFileName(fallbackName) { fallbackName = "spanlog" }
        var configuration = RotatingGzipFileSink.Configuration(directory: directory, fileName: fallbackName)

        if let name = env["LOG_FILE_NAME"] {
            if Self.isValidFileName(name) {
                configuration.fileName = name
            } else {
                warn("LOG_FILE_NAME=\(name) is not a usable file name (empty, '.', '..' or containing '/'); using \(fallbackName)")
            }
        }
        configuration.rotateBytes = Self.positiveInteger(env, "LOG_ROTATE_BYTES", default: configuration.rotateBytes, minimum: 4096, warn: warn)
        if let text = env["LOG_ROTATE_INTERVAL"] {
            if let interval = RotateInterval(rawValue: text.lowercased()) {
                configuration.rotateInterval = interval
            } else {
                warn("LOG_ROTATE_INTERVAL=\(text) is not one of none, hourly, daily; using \(configuration.rotateInterval.rawValue)")
            }
        }
        configuration.retainFiles = Self.positiveInteger(env, "LOG_RETAIN_FILES", default: configuration.retainFiles, minimum: 1, warn: warn)
        if let text = env["LOG_RETAIN_DAYS"] {
            let trimmed = text.trimmingSpaces
            if trimmed.isEmpty || trimmed == "0" {
                configuration.retainDays = nil
            } else if let days = Int(trimmed), days > 0 {
                configuration.retainDays = days
            } else {
                warn("LOG_RETAIN_DAYS=\(text) is not a positive integer; keeping files regardless of age")
            }
        }
        configuration.flushIntervalMilliseconds = Self.positiveInteger(env, "LOG_FLUSH_MS", default: configuration.flushIntervalMilliseconds, minimum: 1, warn: warn)
        if let text = env["LOG_GZIP_LEVEL"] {
            if let level = Int(text.trimmingSpaces), (1...9).contains(level) {
                configuration.gzipLevel = level
            } else {
                warn("LOG_GZIP_LEVEL=\(text) is not an integer from 1 to 9; using \(configuration.gzipLevel)")
            }
        }
        if let text = env["LOG_QUEUE_POLICY"] {
            if let policy = QueuePolicy(rawValue: text.lowercased()) {
                configuration.queuePolicy = policy
            } else {
                warn("LOG_QUEUE_POLICY=\(text) is not one of block, drop; using \(configuration.queuePolicy.rawValue)")
            }
        }
        if let text = env["LOG_TRACE_INDEX"] {
            switch text.trimmingSpaces.lowercased() {
            case "1", "true", "yes", "on": configuration.writesTraceIndex = true
            case "0", "false", "no", "off": configuration.writesTraceIndex = false
            default:
                warn("LOG_TRACE_INDEX=\(text) is not true or false; using \(configuration.writesTraceIndex)")
            }
        }
        return configuration
    }

    private static func positiveInteger(
        _ env: [String: String], _ name: String, default value: Int, minimum: Int, warn: (String) -> Void
    ) -> Int {
        guard let text = env[name] else { return value }
        guard let parsed = Int(text.trimmingSpaces), parsed > 0 else {
            warn("\(name)=\(text) is not a positive integer; using \(value)")
            return value
        }
        if parsed < minimum {
            warn("\(name)=\(text) is below the minimum of \(minimum); using \(minimum)")
            return minimum
        }
        return parsed
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
