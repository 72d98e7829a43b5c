import Tracing

extension JSONRecordEncoder {
    public func encode(_ span: SpanRecord, into buffer: inout RecordBuffer) {
        buffer.appendRaw("{\"timestamp\":\"")
        span.end.appendRFC3339(to: &buffer, fractionDigits: 9)
        buffer.appendRaw(span.isError ? "\",\"record\":\"span\",\"level\":\"error\",\"name\":" : "\",\"record\":\"span\",\"level\":\"info\",\"name\":")
        buffer.appendJSONString(span.name)
        buffer.appendRaw(",\"kind\":\"")
        buffer.appendRaw(span.kind.staticName)
        buffer.appendRaw("\",\"trace_id\":\"")
        span.context.traceID.appendHex(to: &buffer)
        buffer.appendRaw("\",\"span_id\":\"")
        span.context.spanID.appendHex(to: &buffer)
        if let parent = span.context.parentSpanID {
            buffer.appendRaw("\",\"parent_span_id\":\"")
            parent.appendHex(to: &buffer)
        }
        buffer.appendRaw("\",\"trace_flags\":\"")
        HexDigits.append(byte: span.context.traceFlags.rawValue, to: &buffer)
        buffer.appendRaw("\",\"start\":\"")
        span.start.appendRFC3339(to: &buffer, fractionDigits: 9)
        buffer.appendRaw("\",\"end\":\"")
        span.end.appendRFC3339(to: &buffer, fractionDigits: 9)
        buffer.appendRaw("\",\"duration_ns\":")
        buffer.appendDecimal(span.durationNanoseconds)
        switch span.status?.code {
        case .none: buffer.appendRaw(",\"status\":\"unset\"")
        case .ok: buffer.appendRaw(",\"status\":\"ok\"")
        case .error: buffer.appendRaw(",\"status\":\"error\"")
        }
        if let message = span.status?.message {
            buffer.appendRaw(",\"status_message\":")
            buffer.appendJSONString(message)
        }
        buffer.appendRaw(",\"service\":")
        buffer.appendJSONString(span.resource.serviceName)
        // Encoded once per thread and resource: a detected resource is a dozen attributes.
        ResourceJSONFragment.perThread.value.append(span.resource, to: &buffer)
        buffer.appendRaw(",\"attributes\":")
        buffer.appendJSONAttributes(span.attributes)
        buffer.appendRaw(",\"events\":[")
        for (index, event) in span.events.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.appendRaw("{\"name\":")
            buffer.appendJSONString(event.name)
            buffer.appendRaw(",\"timestamp\":\"")
            RecordTime(clampingNanosecondsSinceEpoch: event.nanosecondsSinceEpoch).appendRFC3339(to: &buffer, fractionDigits: 9)
            buffer.appendRaw("\",\"attributes\":")
            buffer.appendJSONAttributes(event.attributes)
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.appendRaw("],\"links\":[")
        for (index, link) in span.links.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.appendRaw("{\"trace_id\":\"")
            link.traceID.appendHex(to: &buffer)
            buffer.appendRaw("\",\"span_id\":\"")
            link.spanID.appendHex(to: &buffer)
            buffer.appendRaw("\",\"attributes\":")
            buffer.appendJSONAttributes(link.attributes)
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.append(UInt8(ascii: "]"))
        if span.droppedAttributeCount > 0 {
            buffer.appendRaw(",\"dropped_attributes\":")
            buffer.appendDecimal(Int64(span.droppedAttributeCount))
        }
        if span.droppedEventCount > 0 {
            buffer.appendRaw(",\"dropped_events\":")
            buffer.appendDecimal(Int64(span.droppedEventCount))
        }
        if span.droppedLinkCount > 0 {
            buffer.appendRaw(",\"dropped_links\":")
            buffer.appendDecimal(Int64(span.droppedLinkCount))
        }
        buffer.appendRaw("}\n")
    }
}

extension SpanKind {
    var staticName: StaticString {
        switch self {
        case .internal: return "internal"
        case .server: return "server"
        case .client: return "client"
        case .producer: return "producer"
        case .consumer: return "consumer"
        }
    }
}

extension RecordBuffer {
    /// Appends span attributes as a JSON object with typed values.
    mutating func appendJSONAttributes(_ attributes: SpanAttributes) {
        self.append(UInt8(ascii: "{"))
        var first = true
        attributes.forEach { key, value in
            if !first { self.append(UInt8(ascii: ",")) }
            first = false
            self.appendJSONKey(key)
            self.appendJSONAttribute(value)
        }
        self.append(UInt8(ascii: "}"))
    }

    mutating func appendJSONAttribute(_ value: SpanAttribute) {
        switch value {
        case .int32(let int): self.appendDecimal(Int64(int))
        case .int64(let int): self.appendDecimal(int)
        case .double(let double): self.appendJSONNumber(double)
        case .bool(let bool): bool ? self.appendRaw("true") : self.appendRaw("false")
        case .string(let string): self.appendJSONString(string)
        case .int32Array(let values): self.appendJSONArray(values) { $0.appendDecimal(Int64($1)) }
        case .int64Array(let values): self.appendJSONArray(values) { $0.appendDecimal($1) }
        case .doubleArray(let values): self.appendJSONArray(values) { $0.appendJSONNumber($1) }
        case .boolArray(let values): self.appendJSONArray(values) { buffer, bool in bool ? buffer.appendRaw("true") : buffer.appendRaw("false") }
        case .stringArray(let values): self.appendJSONArray(values) { $0.appendJSONString($1) }
        case .stringConvertible(let convertible): self.appendJSONString(convertible.description)
        case .stringConvertibleArray(let values): self.appendJSONArray(values) { $0.appendJSONString($1.description) }
        default: self.appendJSONString(String(describing: value))
        }
    }

    private mutating func appendJSONArray<Element>(_ values: [Element], _ appendElement: (inout RecordBuffer, Element) -> Void) {
        self.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { self.append(UInt8(ascii: ",")) }
            appendElement(&self, value)
        }
        self.append(UInt8(ascii: "]"))
    }
}
