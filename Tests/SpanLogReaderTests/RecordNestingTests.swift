import Foundation
import Logging
import SpanLog
import SpanLogReader
import SpanLogTesting
import Testing

/// One nesting limit for the writer and the reader (`RecordNesting`, docs/format.md): metadata
/// nested deeper is written truncated and marked, every line written is readable, and no depth
/// of metadata can exhaust a thread's stack.
@Suite("Record nesting limit, writer and reader")
struct RecordNestingTests {
    static let marker = "[truncated: nested deeper than 64 levels]"

    /// `["d": ["d": … "leaf" …]]`, `levels` dictionaries deep, built without recursion.
    static func nested(_ levels: Int) -> Logger.MetadataValue {
        var value: Logger.MetadataValue = "leaf"
        for _ in 0..<levels { value = .dictionary(["d": value]) }
        return value
    }

    /// Encodes one record with `metadata` on a thread with a 256 KiB stack (the old recursive
    /// encoder needed far more for thousands of levels) and returns the line.
    static func encodeOnSmallStack(_ metadata: Logger.Metadata, encoder: any LogRecordEncoder) -> String {
        let sink = InMemorySink()
        let pipeline = LogPipeline(outputs: [LogOutput(encoder: encoder, sinks: [sink])])
        onSmallStack(metadata) { pipeline.emit(LogRecord(level: .info, label: "deep", message: "m", metadata: $0)) }
        return sink.lines.first ?? ""
    }

    /// Runs `body` with `metadata` on a thread with a 256 KiB stack, and returns once that thread
    /// has ended. `metadata` stays alive here until then, so its last release (recursive, as
    /// Swift frees nested enums) happens on this thread's larger stack, never the small one.
    static func onSmallStack(_ metadata: Logger.Metadata, _ body: @escaping @Sendable (Logger.Metadata) -> Void) {
        withExtendedLifetime(metadata) {
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                body(metadata)
                done.signal()
            }
            thread.stackSize = 256 << 10
            thread.start()
            done.wait()
            let deadline = Date().addingTimeInterval(10)
            while !thread.isFinished, Date() < deadline { usleep(1000) }
        }
    }

    /// How many objects deep `value` goes, walking `"d"` keys.
    static func depth(of value: JSONValue?) -> (levels: Int, leaf: String?) {
        var levels = 0
        var current = value
        while case .object(let object)? = current {
            levels += 1
            current = object["d"]
        }
        return (levels, current?.string)
    }

    @Test("at the limit a value is written whole and read back whole")
    func atTheLimit() throws {
        let line = Self.encodeOnSmallStack(["v": Self.nested(62)], encoder: JSONRecordEncoder())
        let record = try JSONParser.parse(line.trimmingCharacters(in: .newlines))
        let (levels, leaf) = Self.depth(of: record["v"])
        #expect(levels == 62)
        #expect(leaf == "leaf")
    }

    @Test("one past the limit, and far past it, a value is truncated and marked, on a small stack, and the line is readable",
          arguments: [63, 10_000])
    func pastTheLimit(_ levels: Int) throws {
        let metadata: Logger.Metadata = ["v": Self.nested(levels), "message": Self.nested(levels)]  // the second goes into `meta`
        let line = Self.encodeOnSmallStack(metadata, encoder: JSONRecordEncoder())
        let record = try JSONParser.parse(line.trimmingCharacters(in: .newlines))
        let (depth, leaf) = Self.depth(of: record["v"])
        #expect(depth == 62)
        #expect(leaf == Self.marker)
        guard case .object(let meta)? = record["meta"] else {
            Issue.record("no meta object in \(line.prefix(200))")
            return
        }
        #expect(Self.depth(of: meta["message"]).leaf == Self.marker)
        // The text encoder shares the JSON writer for nested values.
        let text = Self.encodeOnSmallStack(["v": Self.nested(levels)], encoder: TextRecordEncoder())
        #expect(text.contains(Self.marker))
    }

    @Test("the filter-mode redaction walk (redaction not last, so not folded into encoding) is bounded too")
    func redactionWalkBounded() {
        let sink = InMemorySink()
        let pipeline = LogPipeline(filters: [RedactionFilter(), TraceIdFilter()], outputs: [LogOutput(sinks: [sink])])
        Self.onSmallStack(["v": Self.nested(10_000)]) { pipeline.emit(LogRecord(level: .info, label: "deep", message: "m", metadata: $0)) }
        #expect(sink.lines.count == 1)
    }

    @Test("the reader refuses a foreign line deeper than the limit with a clear reason")
    func readerRefusesDeeper() {
        let line = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(line) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
    }
}
