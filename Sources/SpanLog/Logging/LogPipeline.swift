/// An encoder and the sinks that receive its bytes. A record is encoded once per output.
///
/// ```swift
/// let console = LogOutput(encoder: TextRecordEncoder(), sinks: [ConsoleSink.standardError])
/// ```
public struct LogOutput: Sendable {
    /// Turns records into lines.
    public var encoder: any LogRecordEncoder
    /// Receive every line the encoder makes.
    public var sinks: [any LogSink]

    /// Creates an output.
    public init(encoder: any LogRecordEncoder = JSONRecordEncoder(), sinks: [any LogSink]) {
        self.encoder = encoder
        self.sinks = sinks
    }
}

/// The one way a record goes: level → filters → encoder → sinks.
///
/// Everything up to handing bytes to the sinks happens synchronously on the caller's thread,
/// into a per-thread buffer that is reused from record to record; sinks copy the bytes and do
/// their I/O on their own threads.
///
/// ```swift
/// let pipeline = LogPipeline.Builder()
///     .levels(LevelFilter(default: .info, overrides: ["db": .debug]))
///     .filter(RedactionFilter(keys: RedactionFilter.defaultKeys + ["ssn"]))
///     .output(JSONRecordEncoder(), to: ConsoleSink.standardOutput)
///     .build()
/// LoggingSystem.bootstrap { label in SpanLogHandler(label: label, pipeline: pipeline) }
/// ```
public final class LogPipeline: Sendable {
    /// The level of each logger, by label.
    public let levels: LevelFilter
    /// Run in order on every record; any of them may drop it.
    public let filters: [any LogFilter]
    /// Where encoded records go.
    public let outputs: [LogOutput]
    /// Receive each record that passed the filters, before encoding (e.g. OTLP log export).
    public let exporters: [any LogRecordExporter]

    /// The filters run as filters: all of ``filters``, or all but a last `RedactionFilter` that
    /// the encoders apply while writing (see `RedactingRecordEncoder`).
    private let filtersToRun: [any LogFilter]
    /// The redaction the encoders apply, when they do.
    private let redactionWhileEncoding: RedactionFilter?
    /// The outputs' encoders that redact while encoding, by output (all of them, or none).
    private let redactingEncoders: [any RedactingRecordEncoder]

    /// The filters every pipeline has unless told otherwise: trace correlation and redaction of
    /// ``RedactionFilter/defaultKeys``.
    public static var defaultFilters: [any LogFilter] { [TraceIdFilter(), RedactionFilter()] }

    /// Creates a pipeline.
    public init(
        levels: LevelFilter = LevelFilter(),
        filters: [any LogFilter] = LogPipeline.defaultFilters,
        outputs: [LogOutput],
        exporters: [any LogRecordExporter] = []
    ) {
        self.levels = levels
        self.filters = filters
        self.outputs = outputs
        self.exporters = exporters
        // Redaction folds into encoding when nothing but the encoders sees its result.
        let redactingEncoders = outputs.compactMap { $0.encoder as? any RedactingRecordEncoder }
        if let redaction = filters.last as? RedactionFilter, exporters.isEmpty, redactingEncoders.count == outputs.count {
            self.filtersToRun = Array(filters.dropLast())
            self.redactionWhileEncoding = redaction
            self.redactingEncoders = redactingEncoders
        } else {
            self.filtersToRun = filters
            self.redactionWhileEncoding = nil
            self.redactingEncoders = []
        }
    }

    /// Creates a pipeline with one JSON output to `sinks`.
    public convenience init(levels: LevelFilter = LevelFilter(), filters: [any LogFilter] = LogPipeline.defaultFilters, sinks: [any LogSink]) {
        self.init(levels: levels, filters: filters, outputs: [LogOutput(sinks: sinks)])
    }

    /// Filters, encodes and writes one record.
    public func emit(_ record: consuming LogRecord) {
        for filter in self.filtersToRun {
            guard filter.process(&record) else { return }
        }
        if let redaction = self.redactionWhileEncoding {
            self.writeToOutputs { index, _, buffer in
                self.redactingEncoders[index].encode(record, redacting: redaction, into: &buffer)
            }
            return
        }
        for exporter in self.exporters {
            exporter.export(record)
        }
        self.writeToOutputs { _, encoder, buffer in encoder.encode(record, into: &buffer) }
    }

    /// Encodes and writes one span record (filters are for log records and do not run).
    public func emit(span: SpanRecord) {
        self.writeToOutputs { _, encoder, buffer in encoder.encode(span, into: &buffer) }
    }

    /// Encodes once per output into this thread's reused buffer and hands the bytes to the
    /// output's sinks.
    @inline(__always)
    private func writeToOutputs(_ encode: (Int, any LogRecordEncoder, inout RecordBuffer) -> Void) {
        for (index, output) in self.outputs.enumerated() {
            ScratchBuffer.withBuffer { buffer in
                encode(index, output.encoder, &buffer)
                buffer.withUnsafeBytes { bytes in
                    for sink in output.sinks {
                        sink.write(bytes)
                    }
                }
            }
        }
    }

    /// Whether span records reach `sink` through this pipeline.
    public func writes(to sink: any LogSink) -> Bool {
        self.outputs.contains { output in output.sinks.contains { $0 === sink } }
    }

    /// Flushes every sink.
    public func flush() {
        for sink in self.allSinks { sink.flush() }
    }

    /// Flushes and shuts down every sink (each once, even if it appears in several outputs):
    /// durable sinks (files) first, consoles last, so a console nobody reads cannot keep the
    /// files from closing.
    public func shutdown() {
        for sink in self.sinksInShutdownOrder { sink.shutdown() }
    }

    /// Like ``shutdown()``, returning by `deadline` whatever the sinks' destinations do, each
    /// sink given what is left of the time. Returns whether every sink finished in time.
    @discardableResult
    public func shutdown(deadline: ContinuousClock.Instant) -> Bool {
        var finished = true
        for sink in self.sinksInShutdownOrder where !sink.shutdown(deadline: deadline) {
            finished = false
        }
        return finished
    }

    private var sinksInShutdownOrder: [any LogSink] {
        let sinks = self.allSinks
        return sinks.filter { !($0 is ConsoleSink) } + sinks.filter { $0 is ConsoleSink }
    }

    private var allSinks: [any LogSink] {
        var seen: Set<ObjectIdentifier> = []
        var result: [any LogSink] = []
        for output in self.outputs {
            for sink in output.sinks where seen.insert(ObjectIdentifier(sink)).inserted {
                result.append(sink)
            }
        }
        return result
    }

    /// Builds a ``LogPipeline`` step by step.
    ///
    /// ```swift
    /// let pipeline = LogPipeline.Builder().output(to: InMemorySink()).build()
    /// ```
    public struct Builder: Sendable {
        private var levels = LevelFilter()
        private var filters = LogPipeline.defaultFilters
        private var outputs: [LogOutput] = []
        private var exporters: [any LogRecordExporter] = []

        /// Starts with the default levels and filters and no outputs.
        public init() {}

        /// Sets the per-label levels.
        public func levels(_ levels: LevelFilter) -> Builder {
            var copy = self
            copy.levels = levels
            return copy
        }

        /// Appends a filter after the ones already there.
        public func filter(_ filter: any LogFilter) -> Builder {
            var copy = self
            copy.filters.append(filter)
            return copy
        }

        /// Replaces all filters, the default ones included.
        public func filters(_ filters: [any LogFilter]) -> Builder {
            var copy = self
            copy.filters = filters
            return copy
        }

        /// Adds an output.
        public func output(_ encoder: any LogRecordEncoder = JSONRecordEncoder(), to sinks: any LogSink...) -> Builder {
            var copy = self
            copy.outputs.append(LogOutput(encoder: encoder, sinks: sinks))
            return copy
        }

        /// Adds a structured-record exporter.
        public func exporter(_ exporter: any LogRecordExporter) -> Builder {
            var copy = self
            copy.exporters.append(exporter)
            return copy
        }

        /// The pipeline.
        public func build() -> LogPipeline {
            LogPipeline(levels: self.levels, filters: self.filters, outputs: self.outputs, exporters: self.exporters)
        }
    }
}
