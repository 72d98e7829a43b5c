import Foundation
import Logging
import SpanLog
import SpanLogTesting
import Testing

@Suite("JSON lines encoding (RFC 8259)")
struct JSONEncodingTests {
    /// Strings built from random Unicode scalars, biased towards the characters that break naive
    /// encoders: every C0 control, quote, backslash, DEL, U+2028/U+2029, emoji and combining marks.
    static func adversarialString<G: RandomNumberGenerator>(length: Int, using generator: inout G) -> String {
        let specials: [Unicode.Scalar] = (0..<0x20).map { Unicode.Scalar($0)! } + [
            "\"", "\\", "/", "\u{7F}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{1F600}", "\u{0301}", "\u{10FFFF}", "{", "}",
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            if Bool.random(using: &generator) {
                scalars.append(specials.randomElement(using: &generator)!)
            } else {
                var value: UInt32
                repeat { value = UInt32.random(in: 0...0x10FFFF, using: &generator) } while (0xD800...0xDFFF).contains(value)
                scalars.append(Unicode.Scalar(value)!)
            }
        }
        return String(scalars)
    }

    @Test("random adversarial messages, keys and values parse and round-trip exactly")
    func adversarialRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let (logger, sink) = makeLogger(filters: [])
        var expected: [(String, String, String)] = []
        for round in 0..<500 {
            let message = Self.adversarialString(length: Int.random(in: 0...80), using: &generator)
            let key = "k" + Self.adversarialString(length: Int.random(in: 0...12), using: &generator)
            let value = Self.adversarialString(length: Int.random(in: 0...40), using: &generator)
            expected.append((message, key, value))
            logger.info("\(message)", metadata: [key: .string(value), "round": "\(round)"])
        }
        #expect(sink.lines.count == 500)
        for (line, (message, key, value)) in zip(sink.lines, expected) {
            #expect(!line.contains("\n") && !line.contains("\u{2028}") && !line.contains("\u{2029}") && !line.contains("\u{FEFF}"))
            let object = try #require(parseJSONObject(line), "not JSON: \(line.debugDescription)")
            #expect(object["message"] as? String == message)
            #expect(object[key] as? String == value)
        }
    }

    @Test("every C0 control character, quote and backslash escapes; no record can start a new line")
    func controlCharacters() throws {
        let all = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar($0)! })) + "\"\\\u{7F}\u{2028}\u{2029}"
        let (logger, sink) = makeLogger(filters: [])
        logger.info("\(all)\n{\"level\":\"critical\",\"message\":\"forged\"}", metadata: ["v": .string(all)])
        #expect(sink.lines.count == 1)
        let line = sink.lines[0]
        #expect(line.utf8.allSatisfy { $0 >= 0x20 })
        #expect(line.contains("\\u0000") && line.contains("\\n") && line.contains("\\u001f") && line.contains("\\u2028"))
        let object = try #require(parseJSONObject(line))
        #expect(object["level"] as? String == "info")
        #expect((object["message"] as? String)?.hasPrefix(all) == true)
        #expect(object["v"] as? String == all)
    }

    @Test("1 MB messages round-trip", arguments: [1 << 20, (1 << 20) + 7])
    func largeMessage(size: Int) throws {
        var generator = SystemRandomNumberGenerator()
        var message = Self.adversarialString(length: 1000, using: &generator)
        while message.utf8.count < size { message += message }
        let (logger, sink) = makeLogger(filters: [])
        logger.info("\(message)")
        logger.info("after")
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["message"] as? String == message)
        #expect(parseJSONObject(sink.lines[1])?["message"] as? String == "after")
    }

    @Test("metadata cannot overwrite or duplicate a reserved field: it moves into meta")
    func reservedCollision() throws {
        let (logger, sink) = makeLogger(filters: [TraceIdFilter()])
        let spanContext = randomSpanContext()
        withSpanContext(spanContext) {
            logger.info(
                "real",
                metadata: ["message": "fake", "level": "critical", "trace_id": "forged", "meta": "m", "record": "span", "ok": "1"]
            )
        }
        let line = sink.lines[0]
        // Each top-level key appears once.
        #expect(line.components(separatedBy: "\"message\":").count == 3)  // top level + inside meta
        let object = try #require(parseJSONObject(line))
        #expect(object["message"] as? String == "real")
        #expect(object["level"] as? String == "info")
        #expect(object["record"] as? String == "log")
        #expect(object["trace_id"] as? String == spanContext.traceID.description)
        #expect(object["ok"] as? String == "1")
        let meta = try #require(object["meta"] as? [String: Any])
        #expect(meta["message"] as? String == "fake")
        #expect(meta["level"] as? String == "critical")
        #expect(meta["trace_id"] as? String == "forged")
        #expect(meta["meta"] as? String == "m")
        #expect(meta["record"] as? String == "span")
        struct Failure: Error {}
        for key in JSONRecordEncoder.reservedLogFields {
            var record = LogRecord(level: .info, label: "l", message: "m", metadata: [key: "x"])
            record.spanContext = spanContext
            record.error = Failure()
            var buffer = RecordBuffer()
            JSONRecordEncoder().encode(record, into: &buffer)
            let object = try #require(parseJSONObject(String(decoding: buffer.bytes, as: UTF8.self)))
            #expect((object["meta"] as? [String: Any])?[key] as? String == "x", "\(key)")
        }
    }

    @Test("id and error keys stay top-level when the record has no span context or error")
    func conditionalReservation() throws {
        let (logger, sink) = makeLogger(filters: [])
        logger.info("m", metadata: ["trace_id": "from-provider", "error.type": "mine"])
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["trace_id"] as? String == "from-provider")
        #expect(object["error.type"] as? String == "mine")
        #expect(object["meta"] == nil)
    }

    @Test("nested dictionaries and arrays become objects and arrays; numbers and booleans stay typed")
    func nestedAndTyped() throws {
        let (logger, sink) = makeLogger(filters: [])
        logger.info(
            "typed",
            metadata: [
                "int": .stringConvertible(-42),
                "uint64": .stringConvertible(UInt64.max),
                "double": .stringConvertible(2.5),
                "nan": .stringConvertible(Double.nan),
                "bool": .stringConvertible(true),
                "nested": .dictionary(["a": .array(["x", .dictionary(["b": "c"])])]),
            ]
        )
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["int"] as? Int == -42)
        #expect((object["uint64"] as? NSNumber)?.uint64Value == UInt64.max)
        #expect(object["double"] as? Double == 2.5)
        #expect(object["nan"] as? String == "nan")
        #expect(object["bool"] as? Bool == true)
        let nested = try #require(object["nested"] as? [String: Any])
        let array = try #require(nested["a"] as? [Any])
        #expect(array[0] as? String == "x")
        #expect((array[1] as? [String: Any])?["b"] as? String == "c")
    }

    @Test("fields: timestamp is RFC 3339 UTC with nanoseconds, level names are swift-log's")
    func fields() throws {
        let (logger, sink) = makeLogger(label: "svc.api")
        let before = Date()
        for level in Logger.Level.allCases { logger.log(level: level, "m") }
        let objects = sink.lines.compactMap(parseJSONObject)
        #expect(objects.map { $0["level"] as? String } == Logger.Level.allCases.map { $0.rawValue })
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for object in objects {
            let timestamp = try #require(object["timestamp"] as? String)
            #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z/) != nil)
            let date = try #require(formatter.date(from: String(timestamp.prefix(23)) + "Z"))
            #expect(abs(date.timeIntervalSince(before)) < 5)
            #expect(object["logger"] as? String == "svc.api")
            #expect(object["record"] as? String == "log")
        }
    }

    @Test("plain ASCII runs (encoded 8 bytes at a time) with one special character at every position round-trip")
    func specialAtEveryPosition() throws {
        let specials: [String] = (0..<0x20).map { String(Unicode.Scalar(UInt8($0))) } + [
            "\"", "\\", "\u{7F}", "\u{80}", "é", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{1F600}", "~", " ",
        ]
        let (logger, sink) = makeLogger(filters: [])
        var expected: [String] = []
        for special in specials {
            for position in 0..<20 {
                let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: 19 - position)
                expected.append(text)
                logger.info("\(text)", metadata: ["v": .string(text)])
            }
        }
        #expect(sink.lines.count == expected.count)
        for (line, text) in zip(sink.lines, expected) {
            #expect(line.utf8.allSatisfy { $0 >= 0x20 } && !line.contains("\u{2028}") && !line.contains("\u{FEFF}"))
            let object = try #require(parseJSONObject(line), "not JSON: \(line.debugDescription)")
            #expect(object["message"] as? String == text)
            #expect(object["v"] as? String == text)
        }
    }

    @Test("one reused buffer writes each record's own timestamp (same second, next second, earlier day)")
    func timestampsThroughOneBuffer() throws {
        let base: Int64 = 1_764_083_045_123_456_789
        let stamps = [base, base + 1, base + 999_999_999, base + 1_000_000_000, base - 86_400_000_000_000, base, 0, base + 7]
        var buffer = RecordBuffer()
        for nanoseconds in stamps {
            let timestamp = RecordTime(nanosecondsSinceEpoch: nanoseconds)
            buffer.removeAll()
            JSONRecordEncoder().encode(LogRecord(timestamp: timestamp, level: .info, label: "t", message: "m"), into: &buffer)
            let line = String(decoding: buffer.bytes, as: UTF8.self)
            let object = try #require(parseJSONObject(line))
            #expect(object["timestamp"] as? String == timestamp.description)
        }
    }

    @Test("RecordTime formatting matches the calendar across leap years and centuries")
    func timestampCalendar() throws {
        #expect(RecordTime(nanosecondsSinceEpoch: 0).description == "1970-01-01T00:00:00.000000000Z")
        #expect(RecordTime(nanosecondsSinceEpoch: 951_782_400_000_000_001).description == "2000-02-29T00:00:00.000000001Z")
        #expect(RecordTime(nanosecondsSinceEpoch: 4_107_542_399_999_999_999).description == "2100-02-28T23:59:59.999999999Z")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for _ in 0..<2000 {
            let seconds = Int64.random(in: 0..<6_000_000_000)
            let stamp = RecordTime(nanosecondsSinceEpoch: seconds * 1_000_000_000).description
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.000000000Z", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
            #expect(stamp == expected)
        }
    }

    @Test("text encoder: one line, escaped controls, short trace id")
    func textEncoder() throws {
        let (logger, sink) = makeLogger(label: "web", encoder: TextRecordEncoder())
        let spanContext = randomSpanContext()
        withSpanContext(spanContext) {
            logger.warning("two\nlines", metadata: ["user": "a\nb"])
        }
        #expect(sink.lines.count == 1)
        let line = sink.lines[0]
        #expect(!line.contains("\n"))
        #expect(line.contains("warning  web: two\\nlines"))
        #expect(line.contains("user=a\\nb"))
        #expect(line.hasSuffix("trace=" + String(spanContext.traceID.description.prefix(8))))
    }

    @Test("trace and span ids parse and print as lowercase W3C hex")
    func ids() throws {
        let trace = try #require(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(trace.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.bytes.count == 16 && trace.bytes[0] == 0x4b && trace.bytes[15] == 0x36)
        #expect(TraceID(hex: "4BF92F3577B34DA6A3CE929D0E0E4736") == nil)
        #expect(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e473") == nil)
        #expect(!TraceID.invalid.isValid)
        let span = try #require(SpanID(hex: "00f067aa0ba902b7"))
        #expect(span.description == "00f067aa0ba902b7")
        #expect(SpanID(hex: "00f067aa0ba902bz") == nil)
    }
}
