import Logging

/// Writes each record as one JSON object on one line (JSON Lines), the format described field
/// by field in `docs/format.md`.
///
/// ```swift
/// let output = LogOutput(encoder: JSONRecordEncoder(), sinks: [ConsoleSink.standardOutput])
/// // {"timestamp":"2026-11-25T15:04:05.123456789Z","record":"log","level":"info",
/// //  "logger":"app","message":"hello","trace_id":"…","span_id":"…","trace_flags":"01","user":"42"}
/// ```
public struct JSONRecordEncoder: LogRecordEncoder, RedactingRecordEncoder {
    /// Creates the encoder.
    public init() {}

    /// Field names a record writes itself. A metadata key equal to one of them is written inside
    /// the `meta` object instead, so that it can neither overwrite nor duplicate the field. The id
    /// fields count only when the record has a span context, the error fields only when it has an
    /// error (so `Logger.MetadataProvider.spanLog`'s `trace_id` stays at the top level when the record
    /// itself has none).
    public static let reservedLogFields: Set<String> = [
        "timestamp", "record", "level", "logger", "source", "message", "trace_id", "span_id", "trace_flags",
        "error.type", "error.message", "meta",
    ]

    public func encode(_ record: LogRecord, into buffer: inout RecordBuffer) {
        self.encode(record, redacting: nil, into: &buffer)
    }

    func encode(_ record: LogRecord, redacting redaction: RedactionFilter?, into buffer: inout RecordBuffer) {
        buffer.appendRaw("{\"timestamp\":\"")
        record.timestamp.appendRFC3339(to: &buffer, fractionDigits: 9)
        buffer.appendRaw("\",\"record\":\"log\",\"level\":\"")
        buffer.appendRaw(record.level.staticName)
        buffer.appendRaw("\",\"logger\":")
        buffer.appendJSONString(record.label)
        buffer.appendRaw(",\"source\":")
        record.appendSource(to: &buffer)
        buffer.appendRaw(",\"message\":")
        buffer.appendJSONString(record.message.description)
        if let context = record.spanContext {
            buffer.appendRaw(",\"trace_id\":\"")
            context.traceID.appendHex(to: &buffer)
            buffer.appendRaw("\",\"span_id\":\"")
            context.spanID.appendHex(to: &buffer)
            buffer.appendRaw("\",\"trace_flags\":\"")
            HexDigits.append(byte: context.traceFlags.rawValue, to: &buffer)
            buffer.append(UInt8(ascii: "\""))
        }
        if let error = record.error, let typeName = record.errorTypeName {
            buffer.appendRaw(",\"error.type\":")
            buffer.appendJSONString(typeName)
            buffer.appendRaw(",\"error.message\":")
            if let redaction, redaction.redactsErrorMessage {
                buffer.appendJSONValue(RedactionFilter.replacement)
            } else {
                buffer.appendJSONString(String(describing: error))
            }
        }
        let hasContext = record.spanContext != nil
        let hasError = record.error != nil
        var collisions = 0
        for (key, value) in record.metadata {
            if Self.isReservedLogField(key, hasContext: hasContext, hasError: hasError) {
                collisions += 1
                continue
            }
            buffer.append(UInt8(ascii: ","))
            buffer.appendJSONKey(key)
            Self.appendValue(value, key: key, redacting: redaction, to: &buffer)
        }
        if collisions > 0 {
            buffer.appendRaw(",\"meta\":{")
            var first = true
            for (key, value) in record.metadata where Self.isReservedLogField(key, hasContext: hasContext, hasError: hasError) {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                buffer.appendJSONKey(key)
                Self.appendValue(value, key: key, redacting: redaction, to: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.appendRaw("}\n")
    }

    @inline(__always)
    static func appendValue(_ value: Logger.MetadataValue, key: String, redacting redaction: RedactionFilter?, to buffer: inout RecordBuffer) {
        if let redaction, redaction.redacts(value, key: key) {
            buffer.appendJSONValue(RedactionFilter.replacement)
        } else {
            buffer.appendJSONValue(value, redacting: redaction)
        }
    }

    /// Whether the record writes a field named `key` itself; the same test as
    /// `reservedLogFields.contains(key)` for the fields present, without hashing the key.
    @inline(__always)
    static func isReservedLogField(_ key: String, hasContext: Bool, hasError: Bool) -> Bool {
        switch key.utf8.count {
        case 4: return key == "meta"
        case 5: return key == "level"
        case 6: return key == "record" || key == "logger" || key == "source"
        case 7: return key == "message" || (hasContext && key == "span_id")
        case 8: return hasContext && key == "trace_id"
        case 9: return key == "timestamp"
        case 10: return hasError && key == "error.type"
        case 11: return hasContext && key == "trace_flags"
        case 13: return hasError && key == "error.message"
        default: return false
        }
    }
}

extension LogRecord {
    /// Appends the record's source as a JSON string: the explicit one, or the module part of
    /// `file` (up to its first `/`, swift-log's default), written from `file`'s bytes.
    @inline(__always)
    func appendSource(to buffer: inout RecordBuffer) {
        if let source = self.source {
            buffer.appendJSONString(source)
            return
        }
        LogRecord.withDefaultSource(of: self.file) { module in
            guard let module else {
                buffer.appendRaw("\"n/a\"")
                return
            }
            buffer.append(UInt8(ascii: "\""))
            buffer.appendJSONEscaped(module)
            buffer.append(UInt8(ascii: "\""))
        }
    }
}

extension Logger.Level {
    /// swift-log's level name, as a static string (no allocation).
    var staticName: StaticString {
        switch self {
        case .trace: return "trace"
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        case .critical: return "critical"
        }
    }
}
