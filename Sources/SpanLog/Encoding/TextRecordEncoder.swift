import Logging

/// A one-line human format for terminals: time, level, label, message, metadata and the first
/// eight hex digits of the trace id.
///
/// Control characters in any value are escaped (`\n` becomes the two characters `\` `n`), so a
/// message can never forge a second line.
///
/// ```swift
/// let output = LogOutput(encoder: TextRecordEncoder(), sinks: [ConsoleSink.standardError])
/// // 2026-11-25T15:04:05.123Z info     app: user logged in user=42 trace=4bf92f35
/// ```
public struct TextRecordEncoder: LogRecordEncoder, RedactingRecordEncoder {
    /// Creates the encoder.
    public init() {}

    public func encode(_ record: LogRecord, into buffer: inout RecordBuffer) {
        self.encode(record, redacting: nil, into: &buffer)
    }

    func encode(_ record: LogRecord, redacting redaction: RedactionFilter?, into buffer: inout RecordBuffer) {
        let start = buffer.count
        record.timestamp.appendRFC3339(to: &buffer, fractionDigits: 3)
        buffer.append(UInt8(ascii: " "))
        let name = record.level.staticName
        buffer.appendRaw(name)
        for _ in name.utf8CodeUnitCount..<9 { buffer.append(UInt8(ascii: " ")) }
        buffer.appendJSONEscaped(record.label)
        buffer.appendRaw(": ")
        buffer.appendJSONEscaped(record.message.description)
        if let error = record.error {
            buffer.appendRaw(" error=")
            if let redaction, redaction.redactsErrorMessage {
                Self.appendText(RedactionFilter.replacement, to: &buffer)
            } else {
                buffer.appendJSONEscaped(String(describing: error))
            }
        }
        for (key, value) in record.metadata {
            buffer.append(UInt8(ascii: " "))
            buffer.appendJSONEscaped(key)
            buffer.append(UInt8(ascii: "="))
            if let redaction, redaction.redacts(value, key: key) {
                Self.appendText(RedactionFilter.replacement, to: &buffer)
            } else {
                Self.appendText(value, redacting: redaction, to: &buffer)
            }
        }
        if let context = record.spanContext {
            buffer.appendRaw(" trace=")
            buffer.appendInPlace(maximum: 16) { out in
                HexDigits.write(context.traceID.high, to: out)
                return 8
            }
        }
        buffer.escapeC1Controls(from: start)
        buffer.append(UInt8(ascii: "\n"))
    }

    static func appendText(_ value: Logger.MetadataValue, redacting redaction: RedactionFilter? = nil, to buffer: inout RecordBuffer) {
        switch value {
        case .string(let string): buffer.appendJSONEscaped(string)
        case .stringConvertible(let convertible): buffer.appendJSONEscaped(convertible.description)
        case .dictionary, .array: buffer.appendJSONValue(value, redacting: redaction)
        }
    }
}
