@testable import SpanLog
@testable import SpanLogOTLP

/// Every environment-variable parser: `EnvironmentReader` (`SpanLog/Support`),
/// `TelemetryConfiguration.fromEnvironment`, the file sink's `fromEnvironment`
/// (`RotatingGzipFileSink+Environment`), and SpanLogOTLP's exporter configuration and log
/// batching. The input is `NAME=value` lines: the environment (a line without `=` is a name
/// with an empty value; NUL separates lines too). `Fuzz/Corpus/environment.dict` gives the
/// fuzzer the names.
///
/// Besides not trapping: every number read lies in its documented range, every warning is one
/// line without control characters, and a warning about a `…_HEADERS` variable never shows its
/// value.
enum EnvironmentTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        var environment: [String: String] = [:]
        // A NUL ends a line too: no environment string can hold one.
        for line in input.text.split(whereSeparator: { $0 == "\n" || $0 == "\0" }) {
            if let equals = line.firstIndex(of: "=") {
                environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
            } else {
                environment[String(line)] = ""
            }
        }

        let telemetry = TelemetryConfiguration.fromEnvironment(environment)
        self.checkWarnings(telemetry.warnings)
        require((0...86_400_000).contains(telemetry.slowRequestMilliseconds), "TELEMETRY_SLOW_REQUEST_MS \(telemetry.slowRequestMilliseconds)")
        let batching = telemetry.batching
        require((0...3_600_000).contains(batching.scheduleDelayMilliseconds), "OTEL_BSP_SCHEDULE_DELAY \(batching.scheduleDelayMilliseconds)")
        require((1...10_000_000).contains(batching.maxQueueSize), "OTEL_BSP_MAX_QUEUE_SIZE \(batching.maxQueueSize)")
        require((1...10_000_000).contains(batching.maxExportBatchSize), "OTEL_BSP_MAX_EXPORT_BATCH_SIZE \(batching.maxExportBatchSize)")
        require((1...3_600_000).contains(batching.exportTimeoutMilliseconds), "OTEL_BSP_EXPORT_TIMEOUT \(batching.exportTimeoutMilliseconds)")

        var warnings: [String] = []
        let defaultFileName = environment["OTEL_SERVICE_NAME"] ?? "fuzz"
        if let sink = RotatingGzipFileSink.Configuration.fromEnvironment(environment, defaultFileName: defaultFileName, warn: { warnings.append($0) }) {
            self.checkFileSink(sink)
        }
        if let sink = telemetry.fileSink { self.checkFileSink(sink) }

        for signal in OTLPSignal.allCases {
            if let otlp = OTLPExporterConfiguration.fromEnvironment(environment, signal: signal, endpoint: telemetry.endpoint, warn: { warnings.append($0) }) {
                require(otlp.timeout >= .milliseconds(1) && otlp.timeout <= .seconds(3600), "OTLP timeout \(otlp.timeout)")
                require(otlp.headers.allSatisfy { !$0.name.isEmpty }, "an OTLP header without a name")
            }
        }
        let logBatching = OTLPExporterProvider.batching(environment) { warnings.append($0) }
        require(logBatching.scheduleDelay >= .zero && logBatching.scheduleDelay <= .seconds(3600), "OTEL_BLRP_SCHEDULE_DELAY \(logBatching.scheduleDelay)")
        require((1...10_000_000).contains(logBatching.maxQueueSize), "OTEL_BLRP_MAX_QUEUE_SIZE \(logBatching.maxQueueSize)")
        require((1...10_000_000).contains(logBatching.maxExportBatchSize), "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE \(logBatching.maxExportBatchSize)")
        require(logBatching.exportTimeout >= .milliseconds(1) && logBatching.exportTimeout <= .seconds(3600), "OTEL_BLRP_EXPORT_TIMEOUT \(logBatching.exportTimeout)")

        // Every typed accessor on every variable given whose name could be one of SpanLog's
        // (upper-case letters, digits, `_`): SpanLog asks for its own names only, and a warning
        // shows the name as it is.
        var reader = EnvironmentReader(environment)
        for name in environment.keys.sorted() where name.utf8.allSatisfy({ self.isNameCharacter($0) }) {
            _ = reader.bool(name, default: false)
            require((-5...5).contains(reader.integer(name, default: 0, range: -5...5, raisingToMinimum: true)), "\(name): integer out of range")
            require((0...1).contains(reader.ratio(name, default: 0.5)), "\(name): ratio out of range")
            _ = reader.list(name)
            _ = reader.keyValueList(name, item: "name=value", using: "the others", disclosure: .hidden)
            _ = reader.url(name, parse: { OTLPEndpoint($0) }, problem: "is not a URL", using: "none")
            _ = environment[name]?.trimmingASCIIWhitespace().percentDecoded()
        }
        self.checkWarnings(warnings + reader.warnings)
    }

    /// `A`–`Z`, `0`–`9` or `_`.
    static func isNameCharacter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    /// The file sink's documented ranges (`RotatingGzipFileSink+Environment`).
    static func checkFileSink(_ sink: RotatingGzipFileSink.Configuration) {
        require(RotatingGzipFileSink.Configuration.isValidFileName(sink.fileName), "LOG_FILE_NAME \(sink.fileName.debugDescription)")
        require((4096...(1 << 40)).contains(sink.rotateBytes), "LOG_ROTATE_BYTES \(sink.rotateBytes)")
        require((1...100_000).contains(sink.retainFiles), "LOG_RETAIN_FILES \(sink.retainFiles)")
        require(sink.retainDays.map { (1...36_500).contains($0) } ?? true, "LOG_RETAIN_DAYS \(String(describing: sink.retainDays))")
        require((1...3_600_000).contains(sink.flushIntervalMilliseconds), "LOG_FLUSH_MS \(sink.flushIntervalMilliseconds)")
        require((1...9).contains(sink.gzipLevel), "LOG_GZIP_LEVEL \(sink.gzipLevel)")
    }

    /// One line each, no control characters, no `…_HEADERS` value shown.
    static func checkWarnings(_ warnings: [String]) {
        for warning in warnings {
            require(!warning.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "a warning holds a control character: \(warning.debugDescription)")
            let name = warning.prefix { $0 != " " && $0 != "=" }
            if name.hasSuffix("_HEADERS") {
                require(warning.hasPrefix("\(name) (value not shown)"), "a warning shows a headers value: \(warning.debugDescription)")
            }
        }
    }
}
