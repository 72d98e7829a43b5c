/// Writes each exported span as one JSON line (the span record of `docs/format.md`) to a sink,
/// standard output by default: the seed's console exporter for local development and CI smoke
/// tests.
///
/// When span records already reach the same sink through the log pipeline (`LOG_SPANS`), the
/// `Telemetry` factory leaves this exporter out, so a span is never printed twice.
///
/// ```swift
/// let tracer = SpanLogTracer(configuration: .init(sampler: ConstantSampler(.recordAndSample)),
///                            exporter: ConsoleSpanExporter())
/// ```
public struct ConsoleSpanExporter: SpanExporter {
    /// Where the lines go.
    public let sink: any LogSink
    private let encoder: any LogRecordEncoder

    /// Creates the exporter.
    public init(sink: any LogSink = ConsoleSink.standardOutput, encoder: any LogRecordEncoder = JSONRecordEncoder()) {
        self.sink = sink
        self.encoder = encoder
    }

    public func export(_ batch: [SpanRecord]) async throws {
        var buffer = RecordBuffer(capacity: 1024)
        for span in batch {
            buffer.removeAll()
            self.encoder.encode(span, into: &buffer)
            buffer.withUnsafeBytes { self.sink.write($0) }
        }
    }

    public func forceFlush() async {
        self.sink.flush()
    }

    public func shutdown() async {
        self.sink.flush()
    }
}
