public import SpanLog
import Synchronization

/// Keeps every record in memory, for tests of code that logs.
///
/// ```swift
/// let sink = InMemorySink()
/// let logger = Logger(label: "test") { SpanLogHandler(label: $0, pipeline: LogPipeline(sinks: [sink])) }
/// logger.info("hello")
/// #expect(sink.lines.count == 1)
/// ```
public final class InMemorySink: LogSink {
    private let storage = Mutex<[String]>([])

    /// Creates an empty sink.
    public init() {}

    /// The records written so far, each without its trailing newline, in write order.
    public var lines: [String] { self.storage.withLock { $0 } }

    /// Forgets every record.
    public func clear() { self.storage.withLock { $0.removeAll() } }

    public func write(_ record: UnsafeRawBufferPointer) {
        var bytes = record[...]
        if bytes.last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        self.storage.withLock { $0.append(line) }
    }

    public func flush() {}
    public func shutdown() {}
}
