/// Turns a record into the bytes of one line, newline included, appended to `buffer`.
///
/// Encoders run once per record on the caller's thread, into a buffer the pipeline reuses; they
/// must append exactly one line that ends in `\n` and contains no other `\n`.
///
/// ```swift
/// var buffer = RecordBuffer()
/// JSONRecordEncoder().encode(record, into: &buffer)
/// ```
public protocol LogRecordEncoder: Sendable {
    /// Appends one encoded log record and its terminating newline.
    func encode(_ record: LogRecord, into buffer: inout RecordBuffer)
    /// Appends one encoded span record and its terminating newline.
    func encode(_ span: SpanRecord, into buffer: inout RecordBuffer)
}
