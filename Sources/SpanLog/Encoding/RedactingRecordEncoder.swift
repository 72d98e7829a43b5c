/// An encoder that can apply a ``RedactionFilter`` while it writes a record's metadata.
///
/// When a pipeline's last filter is a `RedactionFilter`, nothing else looks at the records
/// (no exporters), and every output's encoder is one of these, the pipeline lets the encoders
/// redact instead of running the filter: one pass over the metadata instead of two, and the same
/// bytes out. SpanLog's JSON and text encoders qualify; any other encoder gets records the
/// filter has already redacted.
protocol RedactingRecordEncoder: LogRecordEncoder {
    /// Encodes `record` as ``LogRecordEncoder/encode(_:into:)`` does for the record that
    /// `redaction.process` would have made of it.
    func encode(_ record: LogRecord, redacting redaction: RedactionFilter?, into buffer: inout RecordBuffer)
}
