import Foundation
import Logging
import SpanLog
import SpanLogOTLP
import Testing
import Tracing

@Suite("OTLP request encoding")
struct OTLPEncodingTests {
    @Test("protobuf: the span's ids, name and times are at their field numbers")
    func protobufLayout() {
        let encoder = OTLPRequestEncoder(format: .protobuf)
        let bytes = encoder.encode([sampleSpan(attributes: 0)])
        // ExportTraceServiceRequest.resource_spans (1, length-delimited) comes first.
        #expect(bytes.first == 0x0A)
        // Span.trace_id: tag 0x0A, length 16, then the big-endian bytes.
        let traceID: [UInt8] = [0x0A, 16, 0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36]
        #expect(contains(bytes, traceID))
        // Span.span_id: tag 0x12, length 8.
        #expect(contains(bytes, [0x12, 8, 0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]))
        // Span.kind = SERVER: tag 0x30, 2.
        #expect(contains(bytes, [0x30, 2]))
        // Span.flags (16, fixed32): tag 0x85 0x01, then 1 little-endian.
        #expect(contains(bytes, [0x85, 0x01, 1, 0, 0, 0]))
        // start_time_unix_nano (7, fixed64): tag 0x39.
        var start: [UInt8] = [0x39]
        var value: UInt64 = 1_764_000_000_000_000_000
        for _ in 0..<8 { start.append(UInt8(truncatingIfNeeded: value)); value >>= 8 }
        #expect(contains(bytes, start))
    }

    @Test("protobuf: a long body gets a multi-byte length prefix")
    func longMessages() {
        let encoder = OTLPRequestEncoder(format: .protobuf)
        var span = sampleSpan(attributes: 0)
        span.name = String(repeating: "x", count: 300)
        let bytes = encoder.encode([span])
        // Span.name (5): tag 0x2A, length 300 = 0xAC 0x02.
        #expect(contains(bytes, [0x2A, 0xAC, 0x02, UInt8(ascii: "x")]))
        // The outer length covers the rest of the buffer exactly.
        #expect(bytes[0] == 0x0A)
        var length = 0
        var shift = 0
        var index = 1
        while true {
            let byte = bytes[index]
            length |= Int(byte & 0x7F) << shift
            index += 1
            if byte < 0x80 { break }
            shift += 7
        }
        #expect(index + length == bytes.count)
    }

    @Test("JSON: hex ids, integer enums, 64-bit integers as strings, escaped strings")
    func jsonMapping() throws {
        let encoder = OTLPRequestEncoder(format: .json)
        var span = sampleSpan()
        span.name = "quote \" backslash \\ newline \n tab \t bell \u{07}"
        span.status = SpanStatus(code: .error, message: "boom")
        let text = String(decoding: encoder.encode([span]), as: UTF8.self)
        #expect(text.contains("\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\""))
        #expect(text.contains("\"spanId\":\"00f067aa0ba902b7\""))
        #expect(text.contains("\"parentSpanId\":\"0000000000001234\""))
        #expect(text.contains("\"kind\":2"))
        #expect(text.contains("\"startTimeUnixNano\":\"1764000000000000000\""))
        #expect(text.contains("{\"key\":\"http.status_code\",\"value\":{\"intValue\":\"200\"}}"))
        #expect(text.contains("\"status\":{\"message\":\"boom\",\"code\":2}"))
        #expect(text.contains("\"name\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007\""))
    }

    @Test("swift-log levels map to OTLP severities")
    func severities() {
        let expected: [(Logger.Level, Int, String)] = [
            (.trace, 1, "TRACE"), (.debug, 5, "DEBUG"), (.info, 9, "INFO"), (.notice, 10, "NOTICE"),
            (.warning, 13, "WARNING"), (.error, 17, "ERROR"), (.critical, 21, "CRITICAL"),
        ]
        for (level, number, text) in expected {
            #expect(OTLPSeverity(level).number == number)
            #expect(OTLPSeverity(level).text == text)
        }
    }

    @Test("spans from two resources go into two ResourceSpans")
    func resourcesGrouped() {
        let encoder = OTLPRequestEncoder(format: .json)
        var other = sampleSpan()
        other.resource = SpanLogResource(serviceName: "other")
        let text = String(decoding: encoder.encode([sampleSpan(), other, sampleSpan()]), as: UTF8.self)
        #expect(text.components(separatedBy: "\"scopeSpans\"").count - 1 == 2)
        #expect(text.components(separatedBy: "\"stringValue\":\"other\"").count - 1 == 1)
    }

    func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
