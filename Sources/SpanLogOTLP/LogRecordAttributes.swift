import Logging
import SpanLog

/// The attributes a log record carries besides its metadata: the logger's label (`logger`) and
/// swift-log's `source` (`source`), as in SpanLog's own records, the call site (`code.file.path`, `code.function.name`,
/// `code.line.number`, OpenTelemetry's semantic conventions) and, when an error was logged,
/// `exception.type` and `exception.message` — each unless the record's metadata has a key of
/// that name, which then stands alone.
///
/// ```swift
/// for attribute in LogRecordAttributes(record) { print(attribute.key) }
/// ```
struct LogRecordAttributes: Sequence {
    /// One attribute's value: a string or an integer.
    enum Value {
        case string(String)
        case int(Int64)
    }

    private let items: [(key: String, value: Value)]

    init(_ record: LogRecord) {
        var items: [(key: String, value: Value)] = [
            ("logger", .string(record.label)),
            ("source", .string(record.resolvedSource)),
            ("code.file.path", .string(record.file)),
            ("code.function.name", .string(record.function)),
            ("code.line.number", .int(Int64(record.line))),
        ]
        if let error = record.error, let typeName = record.errorTypeName {
            items.append(("exception.type", .string(typeName)))
            items.append(("exception.message", .string(String(describing: error))))
        }
        // OTLP attribute keys are unique: a metadata entry of the same name (written after these)
        // takes the key.
        self.items = record.metadata.isEmpty ? items : items.filter { record.metadata[$0.key] == nil }
    }

    func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> {
        self.items.makeIterator()
    }
}
