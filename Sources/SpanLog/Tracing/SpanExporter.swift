/// Sends finished, sampled spans somewhere: the console, an OTLP collector, a test.
///
/// The batch span processor calls `export` from its own task, one batch at a time, never from a
/// span's caller. Throwing counts the batch as failed (and reported); the processor does not retry
/// by itself — transports that can retry (OTLP) do so inside `export`.
///
/// ```swift
/// struct PrintingExporter: SpanExporter {
///     func export(_ batch: [SpanRecord]) async throws {
///         for span in batch { print(span.name, span.durationNanoseconds) }
///     }
/// }
/// ```
public protocol SpanExporter: Sendable {
    /// Exports one batch.
    func export(_ batch: [SpanRecord]) async throws
    /// Pushes out anything the exporter buffers itself.
    func forceFlush() async
    /// Flushes and releases resources; no `export` follows.
    func shutdown() async
}

extension SpanExporter {
    public func forceFlush() async {}
    public func shutdown() async {}
}
