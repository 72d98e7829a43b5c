import Foundation
import SpanLogFormat
import SpanLogReader
import Testing

/// The on-disk contract's time and file names (SpanLogFormat), as the writer and the reader
/// both use them.
@Suite("Record time and rotated file names")
struct RecordFormatTests {
    @Test("times outside Int64 nanoseconds saturate instead of trapping")
    func farTimesSaturate() throws {
        #expect(RecordTime(rfc3339: "0001-01-01T00:00:00Z") == .earliest)          // Go's zero time
        #expect(RecordTime(rfc3339: "9999-12-31T23:59:59.999999999Z") == .latest)
        #expect(RecordTime(rfc3339: "2300-01-01T00:00:00+14:00") == .latest)
        #expect(RecordTime(bound: "2300-01-01T00:00:00Z") == .latest)
        #expect(RecordTime(clampingNanosecondsSinceEpoch: .max) == .latest)
        #expect(RecordTime.earliest - 1 == .earliest)
        #expect(RecordTime.latest + 1 == .latest)
        #expect(RecordTime.latest.nanoseconds(since: .earliest) == UInt64.max)
        #expect(RecordTime.earliest.nanoseconds(since: .latest) == 0)
        #expect(RecordTime.earliest.unsignedNanosecondsSinceEpoch == 0)
        #expect(RecordTime.seconds(.max) == .max && RecordTime.minutes(.min) == .min)
        #expect(RecordTime(rfc3339: "2026-11-25T15:04:05+24:00") == nil)
        let far = Array("0001-01-01T00:00:00.000000000Z".utf8)
        #expect(far.withUnsafeBytes { RecordTime.fixedWidthNanoseconds(at: $0.baseAddress!) } == Int64.min)
    }

    @Test("writing and reading agree, before and after 1970, at both ends of the range")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let fixed: [Int64] = [0, -1, 1, -1_000_000_000, 951_782_400_000_000_001, .min, .max]
        for nanoseconds in fixed + (0..<2000).map({ _ in Int64.random(in: .min ... .max, using: &generator) }) {
            let time = RecordTime(nanosecondsSinceEpoch: nanoseconds)
            let text = time.rfc3339
            #expect(text.utf8.count == RecordTime.fixedWidth, "\(text)")
            #expect(RecordTime(rfc3339: text) == time, "\(nanoseconds) → \(text)")
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { RecordTime.fixedWidthNanoseconds(at: $0.baseAddress!) } == nanoseconds)
        }
        #expect(RecordTime(nanosecondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59.999999999Z")
        #expect(RecordTime.earliest.rfc3339 == "1677-09-21T00:12:43.145224192Z")
        #expect(RecordTime.latest.rfc3339 == "2262-04-11T23:47:16.854775807Z")
    }

    @Test("one file-name grammar: what the sink writes, the reader orders")
    func fileNames() throws {
        let name = LogFileName(seconds: 1_764_083_045, sequence: 7)
        let text = name.fileName(base: "check-out.v2")
        #expect(text == "check-out.v2-20251125T150405Z-0007.jsonl.gz")
        #expect(LogFileName(parsing: text, base: "check-out.v2") == name)
        #expect(LogFileName(parsing: text, base: "check-out") == nil)
        #expect(LogFileName(parsing: "check-out.v2-20251125T150405Z-07.jsonl.gz", base: "check-out.v2") == nil)
        let parsed = try #require(LogFileName.parse("app-20251125T150405Z-12.log"))
        #expect(parsed.base == "app" && parsed.extension == ".log" && parsed.name.sequence == 12)
        #expect(parsed.name.time == RecordTime(rfc3339: "2025-11-25T15:04:05Z"))
        // A far stamp saturates; an impossible one is not a rotated name.
        #expect(LogFileName.parse("app-99991231T235959Z-0001.jsonl.gz")?.name.time == .latest)
        #expect(LogFileName.parse("app-20251325T150405Z-0001.jsonl.gz") == nil)
        #expect(LogFileName.parse("app-19691231T235959Z-0001.jsonl.gz") == nil)
        #expect(LogFileName.parse("20251125T150405Z-0001.jsonl.gz") == nil)
        #expect(LogFileName.next(after: LogFileName(seconds: 10, sequence: 9999), now: RecordTime(nanosecondsSinceEpoch: 0))
            == LogFileName(seconds: 11, sequence: 1))
        #expect(LogFileName.next(after: nil, now: .earliest) == LogFileName(seconds: 0, sequence: 1))
    }

    @Test("a trace with far-off times (Go's zero time, year 9999) renders without trapping")
    func farTimesRender() throws {
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
        func span(_ id: String, parent: String?, start: String, end: String) -> String {
            let parentField = parent.map { #""parent_span_id":"\#($0)","# } ?? ""
            return #"{"timestamp":"\#(end)","record":"span","level":"info","name":"op-\#(id)","kind":"internal","trace_id":"\#(trace)","span_id":"\#(id)",\#(parentField)"trace_flags":"01","start":"\#(start)","end":"\#(end)","status":"ok","attributes":{},"events":[],"links":[]}"#
        }
        let lines = [
            span("00f067aa0ba902b7", parent: nil, start: "0001-01-01T00:00:00Z", end: "2026-11-25T15:04:05Z"),
            span("00f067aa0ba902b8", parent: "00f067aa0ba902b7", start: "2026-11-25T15:04:05Z", end: "9999-12-31T23:59:59Z"),
            #"{"timestamp":"0001-01-01T00:00:00Z","record":"log","level":"info","logger":"go","message":"zero time","trace_id":"\#(trace)","span_id":"00f067aa0ba902b8"}"#,
        ]
        let records = try lines.map { try LogLine(text: $0) }
        #expect(records.first?.durationNanoseconds == Int64.max)
        let tree = TraceTree(traceID: trace, records: records)
        let waterfall = WaterfallRenderer(style: TerminalStyle(enabled: false)).render(tree)
        #expect(waterfall.contains("op-00f067aa0ba902b7") && waterfall.contains("op-00f067aa0ba902b8"))
        #expect(HTMLRenderer().render(tree).contains("op-00f067aa0ba902b8"))
    }
}
