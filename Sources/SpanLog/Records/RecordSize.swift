import Logging
import SpanLogFormat
import Tracing

/// Rough sizes of records in memory, for the byte bounds of the queues that hold them (the
/// batch span processor, the tail sampler, the OTLP log exporter): the bytes of their strings
/// plus a fixed cost per value, so that a queue of large records is bounded by bytes, not only
/// by count. An estimate, not an exact count: what matters is that it grows with the record.
///
/// ```swift
/// let bytes = span.estimatedByteCount   // about 200 + names, keys and values
/// ```
extension SpanRecord {
    /// About how many bytes the record holds.
    package var estimatedByteCount: Int {
        var bytes = 200 + self.name.utf8.count + self.context.traceState.utf8.count
        bytes += self.status?.message?.utf8.count ?? 0
        bytes += Self.estimatedByteCount(of: self.attributes)
        for event in self.events {
            bytes += 48 + event.name.utf8.count + Self.estimatedByteCount(of: event.attributes)
        }
        for link in self.links {
            bytes += 48 + Self.estimatedByteCount(of: link.attributes)
        }
        return bytes
    }

    static func estimatedByteCount(of attributes: SpanAttributes) -> Int {
        var bytes = 0
        attributes.forEach { key, value in
            bytes += 32 + key.utf8.count
            switch value {
            case .string(let string): bytes += string.utf8.count
            case .stringArray(let strings): bytes += strings.reduce(0) { $0 + 16 + $1.utf8.count }
            case .int32Array(let values): bytes += values.count * 4
            case .int64Array(let values): bytes += values.count * 8
            case .doubleArray(let values): bytes += values.count * 8
            case .boolArray(let values): bytes += values.count
            case .stringConvertibleArray(let values): bytes += values.count * 32
            default: bytes += 8
            }
        }
        return bytes
    }
}

extension LogRecord {
    /// About how many bytes the record holds.
    package var estimatedByteCount: Int {
        var bytes = 128 + self.label.utf8.count + self.message.description.utf8.count
        for (key, value) in self.metadata {
            bytes += 32 + key.utf8.count + Self.estimatedByteCount(of: value, nesting: 0)
        }
        return bytes
    }

    private static func estimatedByteCount(of value: Logger.MetadataValue, nesting: Int) -> Int {
        switch value {
        case .string(let string): return string.utf8.count
        case .stringConvertible: return 32
        case .dictionary where nesting >= RecordNesting.maximumMetadataDepth, .array where nesting >= RecordNesting.maximumMetadataDepth: return 32
        case .dictionary(let dictionary):
            return dictionary.reduce(16) { $0 + 32 + $1.key.utf8.count + Self.estimatedByteCount(of: $1.value, nesting: nesting + 1) }
        case .array(let values):
            return values.reduce(16) { $0 + 16 + Self.estimatedByteCount(of: $1, nesting: nesting + 1) }
        }
    }
}
