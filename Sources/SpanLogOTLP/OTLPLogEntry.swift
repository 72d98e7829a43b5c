public import SpanLog

/// A log record as the OTLP log exporter queues it: the record, and when the exporter saw it
/// (`observed_time_unix_nano`).
///
/// ```swift
/// let entry = OTLPLogEntry(record: LogRecord(level: .info, label: "api", message: "ready"))
/// ```
public struct OTLPLogEntry: Sendable {
    /// The record that passed the filters.
    public var record: LogRecord
    /// When the exporter took it.
    public var observedTimestamp: RecordTime

    /// Creates an entry; the observed time defaults to now.
    public init(record: LogRecord, observedTimestamp: RecordTime = .now()) {
        self.record = record
        self.observedTimestamp = observedTimestamp
    }
}
