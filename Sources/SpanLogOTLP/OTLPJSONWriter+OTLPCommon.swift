import Logging
import SpanLog
import SpanLogFormat
import Tracing

/// The shared OTLP/JSON shapes: `Resource`, `InstrumentationScope`, `KeyValue` and `AnyValue`
/// (`{"stringValue":…}`, `{"boolValue":…}`, `{"intValue":"…"}` (a string: 64-bit),
/// `{"doubleValue":…}`, `{"arrayValue":{"values":[…]}}`, `{"kvlistValue":{"values":[…]}}`).
extension OTLPJSONWriter {
    /// `"resource":{"attributes":[…]}` with `service.name` first.
    mutating func resource(_ resource: SpanLogResource) {
        self.key("resource")
        self.object { writer in
            writer.key("attributes")
            writer.array { attributes in
                attributes.keyValue("service.name") { $0.key("stringValue"); $0.string(resource.serviceName) }
                for key in resource.attributes.keys.sorted() {
                    let value = resource.attributes[key] ?? ""
                    attributes.keyValue(key) { $0.key("stringValue"); $0.string(value) }
                }
            }
        }
    }

    /// `"scope":{"name":"spanlog","version":…}`.
    mutating func scope() {
        self.key("scope")
        self.object { writer in
            writer.key("name")
            writer.string(OTLPScope.name)
            writer.key("version")
            writer.string(OTLPScope.version)
        }
    }

    /// One `KeyValue` array element; `value` writes the members of the `AnyValue` object.
    mutating func keyValue(_ key: String, _ value: (inout OTLPJSONWriter) -> Void) {
        self.arrayElement()
        self.object { writer in
            writer.key("key")
            writer.string(key)
            writer.key("value")
            writer.object(value)
        }
    }

    /// `"attributes":[…]` for span attributes (nothing when there are none).
    mutating func attributes(_ attributes: SpanAttributes) {
        guard !attributes.isEmpty else { return }
        self.key("attributes")
        self.array { array in
            attributes.forEach { key, value in
                array.keyValue(key) { $0.anyValueMembers(value) }
            }
        }
    }

    /// The members of an `AnyValue` object for a span attribute.
    mutating func anyValueMembers(_ attribute: SpanAttribute) {
        switch attribute {
        case .int32(let value): self.key("intValue"); self.int64String(Int64(value))
        case .int64(let value): self.key("intValue"); self.int64String(value)
        case .double(let value): self.key("doubleValue"); self.double(value)
        case .bool(let value): self.key("boolValue"); self.bool(value)
        case .string(let value): self.key("stringValue"); self.string(value)
        case .int32Array(let values): self.arrayValue(values) { $0.key("intValue"); $0.int64String(Int64($1)) }
        case .int64Array(let values): self.arrayValue(values) { $0.key("intValue"); $0.int64String($1) }
        case .doubleArray(let values): self.arrayValue(values) { $0.key("doubleValue"); $0.double($1) }
        case .boolArray(let values): self.arrayValue(values) { $0.key("boolValue"); $0.bool($1) }
        case .stringArray(let values): self.arrayValue(values) { $0.key("stringValue"); $0.string($1) }
        case .stringConvertible(let value): self.key("stringValue"); self.string(value.description)
        case .stringConvertibleArray(let values): self.arrayValue(values) { $0.key("stringValue"); $0.string($1.description) }
        default: self.key("stringValue"); self.string(String(describing: attribute))
        }
    }

    /// The members of an `AnyValue` object for log metadata; containers below
    /// `RecordNesting.maximumMetadataDepth` levels (`nesting` is how many are around `metadata`)
    /// as `RecordNesting.truncationMarker`, as in SpanLog's own records.
    mutating func anyValueMembers(_ metadata: Logger.MetadataValue, nesting: Int = 0) {
        switch metadata {
        case .string(let value): self.key("stringValue"); self.string(value)
        case .stringConvertible(let value): self.key("stringValue"); self.string(value.description)
        case .array where nesting >= RecordNesting.maximumMetadataDepth, .dictionary where nesting >= RecordNesting.maximumMetadataDepth:
            self.key("stringValue"); self.string(RecordNesting.truncationMarker)
        case .array(let values): self.arrayValue(values) { writer, value in writer.anyValueMembers(value, nesting: nesting + 1) }
        case .dictionary(let dictionary):
            self.key("kvlistValue")
            self.object { list in
                list.key("values")
                list.array { values in
                    for key in dictionary.keys.sorted() {
                        guard let value = dictionary[key] else { continue }
                        values.keyValue(key) { $0.anyValueMembers(value, nesting: nesting + 1) }
                    }
                }
            }
        }
    }

    private mutating func arrayValue<Element>(_ values: [Element], _ element: (inout OTLPJSONWriter, Element) -> Void) {
        self.key("arrayValue")
        self.object { array in
            array.key("values")
            array.array { list in
                for value in values {
                    list.arrayElement()
                    list.object { element(&$0, value) }
                }
            }
        }
    }
}
