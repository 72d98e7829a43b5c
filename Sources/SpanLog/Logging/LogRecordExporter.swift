/// Receives every log record that passed the filters, as a structured value, on the caller's
/// thread: the hook for exporters that need fields rather than encoded bytes (OTLP logs).
///
/// `export` runs inside `Logger.log`: copy what you need into a bounded queue and return.
///
/// ```swift
/// final class CountingLogExporter: LogRecordExporter {
///     let count = Atomic<Int>(0)
///     func export(_ record: LogRecord) { count.add(1, ordering: .relaxed) }
///     func flush() async {}
///     func shutdown() async {}
/// }
/// ```
public protocol LogRecordExporter: Sendable {
    /// Takes one record; must not block.
    func export(_ record: LogRecord)
    /// Sends everything taken so far.
    func flush() async
    /// Flushes and stops.
    func shutdown() async
    /// Flushes and stops within `timeout`, counting what it could not send as dropped. The
    /// default calls ``shutdown()``.
    func shutdown(timeout: Duration) async
}

extension LogRecordExporter {
    public func shutdown(timeout: Duration) async {
        await self.shutdown()
    }
}
