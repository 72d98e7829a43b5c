import Foundation
import Logging
import SpanLog
import SpanLogTesting
import Testing

@Suite("RedactionFilter")
struct RedactionTests {
    @Test("default keys are redacted case-insensitively, at any depth, and nothing else is")
    func defaultKeys() throws {
        let (logger, sink) = makeLogger()
        logger.info(
            "login",
            metadata: [
                "Authorization": "Bearer abc",
                "PASSWORD": "hunter2",
                "user": "42",
                "authorization_hint": "keep",
                "request": .dictionary([
                    "headers": .dictionary(["Cookie": "s=1", "accept": "json"]),
                    "items": .array([.dictionary(["api_key": "k", "id": "7"]), "plain"]),
                ]),
            ]
        )
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["Authorization"] as? String == "[REDACTED]")
        #expect(object["PASSWORD"] as? String == "[REDACTED]")
        #expect(object["user"] as? String == "42")
        #expect(object["authorization_hint"] as? String == "keep")
        let request = try #require(object["request"] as? [String: Any])
        let headers = try #require(request["headers"] as? [String: Any])
        #expect(headers["Cookie"] as? String == "[REDACTED]")
        #expect(headers["accept"] as? String == "json")
        let items = try #require(request["items"] as? [Any])
        let first = try #require(items[0] as? [String: Any])
        #expect(first["api_key"] as? String == "[REDACTED]")
        #expect(first["id"] as? String == "7")
        #expect(items[1] as? String == "plain")
        #expect(!sink.lines[0].contains("hunter2") && !sink.lines[0].contains("Bearer abc"))
    }

    /// A record exporter that keeps what it is given.
    final class KeepingExporter: LogRecordExporter, @unchecked Sendable {
        private let lock = NSLock()
        private var kept: [Logger.Metadata] = []
        var metadata: [Logger.Metadata] { self.lock.withLock { self.kept } }
        func export(_ record: LogRecord) { self.lock.withLock { self.kept.append(record.metadata) } }
        func flush() async {}
        func shutdown() async {}
    }

    @Test("redaction done while encoding writes the same bytes as the filter, for JSON and text, and exporters get redacted records")
    func encodingTimeRedactionMatchesTheFilter() throws {
        let metadata: Logger.Metadata = [
            "Authorization": "Bearer abc", "user": "42", "token": .array(["a", "b"]),
            "request": .dictionary([
                "headers": .dictionary(["Cookie": "s=1", "accept": "json", "x-api-key": .dictionary(["deep": "x"])]),
                "items": .array([.dictionary(["api_key": "k", "id": "7"]), "plain", .array([.dictionary(["secret": "s"])])]),
            ]),
            "message": .dictionary(["password": "p"]),  // a reserved name: written inside meta
        ]
        for encoder in [JSONRecordEncoder() as any LogRecordEncoder, TextRecordEncoder()] {
            // Redaction last, no exporter: the encoder redacts.
            let folded = InMemorySink()
            let foldedPipeline = LogPipeline(filters: [RedactionFilter()], outputs: [LogOutput(encoder: encoder, sinks: [folded])])
            // An exporter sees the records: the filter runs as a filter.
            let filtered = InMemorySink()
            let exporter = KeepingExporter()
            let filteredPipeline = LogPipeline(filters: [RedactionFilter()], outputs: [LogOutput(encoder: encoder, sinks: [filtered])], exporters: [exporter])
            let timestamp = RecordTime(nanosecondsSinceEpoch: 1_764_083_045_000_000_000)
            for pipeline in [foldedPipeline, filteredPipeline] {
                pipeline.emit(LogRecord(timestamp: timestamp, level: .info, label: "t", message: "m", metadata: metadata))
            }
            #expect(folded.lines == filtered.lines)
            #expect(folded.lines.count == 1 && !folded.lines[0].contains("Bearer") && !folded.lines[0].contains("s=1"))
            #expect(!folded.lines[0].contains("\"deep\"") && !folded.lines[0].contains("\"k\"") && !folded.lines[0].contains("\"p\""))
            #expect(folded.lines[0].contains("42") && folded.lines[0].contains("json") && folded.lines[0].contains("plain"))
            #expect(exporter.metadata.first?["Authorization"] == RedactionFilter.replacement)
        }
    }

    @Test("the key list is configurable")
    func configurable() throws {
        // Exact keys only (no key words): what `keys` names, nothing else.
        let (logger, sink) = makeLogger(filters: [RedactionFilter(keys: ["SSN"], words: [])])
        logger.info("x", metadata: ["ssn": "123-45", "password": "visible-now"])
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["ssn"] as? String == "[REDACTED]")
        #expect(object["password"] as? String == "visible-now")
        #expect(RedactionFilter(keys: ["SSN"], words: []).isSensitive("sSn"))
        #expect(!RedactionFilter(keys: ["SSN"], words: []).isSensitive("ssn2"))
        // Keys given without `words:` keep the default key words.
        #expect(RedactionFilter(keys: ["SSN"]).isSensitive("db_password"))
    }
}
