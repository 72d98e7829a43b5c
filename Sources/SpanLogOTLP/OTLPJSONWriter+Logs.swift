import Logging
import SpanLog

/// `ExportLogsServiceRequest` in OTLP/JSON: `{"resourceLogs":[{"resource":…,"scopeLogs":[{
/// "scope":…,"logRecords":[…]}]}]}`, with `severityNumber` an integer, the times decimal strings
/// and `traceId`/`spanId` hex.
extension OTLPJSONWriter {
    mutating func logsRequest(_ entries: [OTLPLogEntry], resource: SpanLogResource) {
        self.object { request in
            request.key("resourceLogs")
            request.array { list in
                guard !entries.isEmpty else { return }
                list.arrayElement()
                list.object { resourceLogs in
                    resourceLogs.resource(resource)
                    resourceLogs.key("scopeLogs")
                    resourceLogs.array { scopes in
                        scopes.arrayElement()
                        scopes.object { scopeLogs in
                            scopeLogs.scope()
                            scopeLogs.key("logRecords")
                            scopeLogs.array { records in
                                for entry in entries {
                                    records.arrayElement()
                                    records.object { $0.logRecord(entry) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The members of one `LogRecord` object.
    mutating func logRecord(_ entry: OTLPLogEntry) {
        let record = entry.record
        let severity = OTLPSeverity(record.level)
        self.key("timeUnixNano")
        self.uint64String(record.timestamp.unsignedNanosecondsSinceEpoch)
        self.key("observedTimeUnixNano")
        self.uint64String(entry.observedTimestamp.unsignedNanosecondsSinceEpoch)
        self.key("severityNumber")
        self.integer(severity.number)
        self.key("severityText")
        self.string(severity.text)
        self.key("body")
        self.object { $0.key("stringValue"); $0.string(record.message.description) }
        self.key("attributes")
        self.array { attributes in
            for (key, value) in record.metadata {
                attributes.keyValue(key) { $0.anyValueMembers(value) }
            }
            for attribute in LogRecordAttributes(record) {
                switch attribute.value {
                case .string(let value): attributes.keyValue(attribute.key) { $0.key("stringValue"); $0.string(value) }
                case .int(let value): attributes.keyValue(attribute.key) { $0.key("intValue"); $0.int64String(value) }
                }
            }
        }
        if let context = record.spanContext {
            self.key("flags")
            self.integer(Int(context.traceFlags.rawValue))
            self.key("traceId")
            self.hex128(high: context.traceID.high, low: context.traceID.low)
            self.key("spanId")
            self.hex64(context.spanID.rawValue)
        }
    }
}
