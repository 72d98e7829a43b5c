import Tracing

extension TextRecordEncoder {
    /// `TIME span  NAME  DURATION STATUS key=value … trace=XXXXXXXX`, one line.
    public func encode(_ span: SpanRecord, into buffer: inout RecordBuffer) {
        let start = buffer.count
        span.end.appendRFC3339(to: &buffer, fractionDigits: 3)
        buffer.appendRaw(span.isError ? " error    span " : " span     ")
        buffer.appendJSONEscaped(span.name)
        buffer.append(UInt8(ascii: " "))
        let micros = span.durationNanoseconds / 1000
        if micros >= 1000 {
            buffer.appendDecimal(micros / 1000)
            buffer.append(UInt8(ascii: "."))
            let fraction = micros % 1000
            buffer.appendInPlace(maximum: 3) { out in
                RecordTime.writeDigits(Int(fraction), count: 3, to: out)
                return 3
            }
            buffer.appendRaw("ms")
        } else {
            buffer.appendDecimal(micros)
            buffer.appendRaw("µs")
        }
        if let message = span.status?.message {
            buffer.appendRaw(" status=")
            buffer.appendJSONEscaped(message)
        }
        span.attributes.forEach { key, value in
            buffer.append(UInt8(ascii: " "))
            buffer.appendJSONEscaped(key)
            buffer.append(UInt8(ascii: "="))
            buffer.appendJSONAttribute(value)
        }
        buffer.appendRaw(" trace=")
        buffer.appendInPlace(maximum: 16) { out in
            HexDigits.write(span.context.traceID.high, to: out)
            return 8
        }
        buffer.escapeC1Controls(from: start)
        buffer.append(UInt8(ascii: "\n"))
    }
}
