import Logging
import SpanLog

/// `ExportLogsServiceRequest` (`opentelemetry/proto/collector/logs/v1`) and the messages of
/// `opentelemetry/proto/logs/v1/logs.proto`, by field number:
///
/// - `ExportLogsServiceRequest`: resource_logs 1. `ResourceLogs`: resource 1, scope_logs 2.
///   `ScopeLogs`: scope 1, log_records 2.
/// - `LogRecord`: time_unix_nano 1 (fixed64), severity_number 2, severity_text 3, body 5,
///   attributes 6, flags 8 (fixed32), trace_id 9, span_id 10, observed_time_unix_nano 11 (fixed64).
extension ProtobufWriter {
    mutating func logsRequest(_ entries: [OTLPLogEntry], resource: SpanLogResource) {
        guard !entries.isEmpty else { return }
        self.message(field: 1) { resourceLogs in
            resourceLogs.resource(field: 1, resource)
            resourceLogs.message(field: 2) { scopeLogs in
                scopeLogs.scope(field: 1)
                for entry in entries {
                    scopeLogs.message(field: 2) { $0.logRecord(entry) }
                }
            }
        }
    }

    /// The body of one `LogRecord`.
    mutating func logRecord(_ entry: OTLPLogEntry) {
        let record = entry.record
        let severity = OTLPSeverity(record.level)
        self.fixed64(field: 1, record.timestamp.unsignedNanosecondsSinceEpoch)
        self.uint64(field: 2, UInt64(severity.number))
        self.string(field: 3, severity.text)
        self.message(field: 5) { $0.string(field: 1, record.message.description) }
        for (key, value) in record.metadata {
            self.keyValue(field: 6, key: key) { $0.anyValueBody(value) }
        }
        for attribute in LogRecordAttributes(record) {
            switch attribute.value {
            case .string(let value): self.keyValue(field: 6, key: attribute.key) { $0.string(field: 1, value) }
            case .int(let value): self.keyValue(field: 6, key: attribute.key) { $0.int64(field: 3, value) }
            }
        }
        if let context = record.spanContext {
            self.fixed32(field: 8, UInt32(context.traceFlags.rawValue))
            self.id128(field: 9, high: context.traceID.high, low: context.traceID.low)
            self.id64(field: 10, context.spanID.rawValue)
        }
        self.fixed64(field: 11, entry.observedTimestamp.unsignedNanosecondsSinceEpoch)
    }
}
