import Logging
import SpanLog
import SpanLogFormat
import Tracing

/// The messages of `opentelemetry/proto/common/v1/common.proto` and
/// `opentelemetry/proto/resource/v1/resource.proto` that spans and logs share, by field number:
///
/// - `AnyValue`: string_value 1, bool_value 2, int_value 3, double_value 4, array_value 5,
///   kvlist_value 6 (a `oneof`, so even a default value is written).
/// - `ArrayValue`: values 1. `KeyValueList`: values 1. `KeyValue`: key 1, value 2.
/// - `InstrumentationScope`: name 1, version 2. `Resource`: attributes 1.
extension ProtobufWriter {
    /// `Resource` with `service.name` first, then the resource attributes sorted by key.
    mutating func resource(field: Int, _ resource: SpanLogResource) {
        self.message(field: field) { writer in
            writer.keyValue(field: 1, key: "service.name") { $0.string(field: 1, resource.serviceName) }
            for key in resource.attributes.keys.sorted() {
                let value = resource.attributes[key] ?? ""
                writer.keyValue(field: 1, key: key) { $0.string(field: 1, value) }
            }
        }
    }

    /// `InstrumentationScope` naming SpanLog.
    mutating func scope(field: Int) {
        self.message(field: field) { writer in
            writer.string(field: 1, OTLPScope.name)
            writer.string(field: 2, OTLPScope.version)
        }
    }

    /// A `KeyValue` whose `AnyValue` body `value` writes.
    @inline(__always)
    mutating func keyValue(field: Int, key: String, _ value: (inout ProtobufWriter) -> Void) {
        self.message(field: field) { writer in
            writer.string(field: 1, key)
            writer.message(field: 2, value)
        }
    }

    /// Span attributes as repeated `KeyValue`.
    mutating func attributes(field: Int, _ attributes: SpanAttributes) {
        attributes.forEach { key, value in
            self.keyValue(field: field, key: key) { $0.anyValueBody(value) }
        }
    }

    /// The body of an `AnyValue` for a span attribute: scalars as their type, arrays as `ArrayValue`.
    mutating func anyValueBody(_ attribute: SpanAttribute) {
        switch attribute {
        case .int32(let value): self.int64(field: 3, Int64(value))
        case .int64(let value): self.int64(field: 3, value)
        case .double(let value): self.double(field: 4, value)
        case .bool(let value): self.bool(field: 2, value)
        case .string(let value): self.string(field: 1, value)
        case .int32Array(let values): self.arrayValue(values) { $0.int64(field: 3, Int64($1)) }
        case .int64Array(let values): self.arrayValue(values) { $0.int64(field: 3, $1) }
        case .doubleArray(let values): self.arrayValue(values) { $0.double(field: 4, $1) }
        case .boolArray(let values): self.arrayValue(values) { $0.bool(field: 2, $1) }
        case .stringArray(let values): self.arrayValue(values) { $0.string(field: 1, $1) }
        case .stringConvertible(let value): self.string(field: 1, value.description)
        case .stringConvertibleArray(let values): self.arrayValue(values) { $0.string(field: 1, $1.description) }
        default: self.string(field: 1, String(describing: attribute))
        }
    }

    /// The body of an `AnyValue` for log metadata: dictionaries as `KeyValueList` (keys sorted),
    /// arrays as `ArrayValue`, everything else as a string; containers below
    /// `RecordNesting.maximumMetadataDepth` levels (`nesting` is how many are around `metadata`)
    /// as `RecordNesting.truncationMarker`, as in SpanLog's own records.
    mutating func anyValueBody(_ metadata: Logger.MetadataValue, nesting: Int = 0) {
        switch metadata {
        case .string(let value): self.string(field: 1, value)
        case .stringConvertible(let value): self.string(field: 1, value.description)
        case .array where nesting >= RecordNesting.maximumMetadataDepth, .dictionary where nesting >= RecordNesting.maximumMetadataDepth:
            self.string(field: 1, RecordNesting.truncationMarker)
        case .array(let values):
            self.arrayValue(values) { writer, value in writer.anyValueBody(value, nesting: nesting + 1) }
        case .dictionary(let dictionary):
            self.message(field: 6) { list in
                for key in dictionary.keys.sorted() {
                    guard let value = dictionary[key] else { continue }
                    list.keyValue(field: 1, key: key) { $0.anyValueBody(value, nesting: nesting + 1) }
                }
            }
        }
    }

    /// `array_value` (field 5) holding one `AnyValue` per element.
    private mutating func arrayValue<Element>(_ values: [Element], _ element: (inout ProtobufWriter, Element) -> Void) {
        self.message(field: 5) { array in
            for value in values {
                array.message(field: 1) { element(&$0, value) }
            }
        }
    }
}
