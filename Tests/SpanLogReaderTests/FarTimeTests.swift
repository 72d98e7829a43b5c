import Foundation
import SpanLogReader
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("times outside 1678–2262: saturated, never a trap")
struct FarTimeTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"

    /// Go's zero time, year 9999, a span from year 1 to year 9999, a far-named rotated file, a
    /// file whose mtime is in 2300, all in one directory.
    static func farDirectory() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("spanlog-far")
        let zero = #"{"timestamp":"0001-01-01T00:00:00Z","record":"log","level":"info","logger":"go","message":"zero time","trace_id":"\#(trace)","span_id":"00f067aa0ba902b7"}"#
        let late = #"{"timestamp":"9999-12-31T23:59:59.999999999Z","record":"log","level":"error","logger":"go","message":"far future","trace_id":"\#(trace)","span_id":"b7ad6b7169203331"}"#
        let span = #"{"timestamp":"9999-12-31T23:59:59Z","record":"span","level":"info","name":"forever","kind":"server","trace_id":"\#(trace)","span_id":"b7ad6b7169203331","start":"0001-01-01T00:00:00Z","end":"9999-12-31T23:59:59Z","status":"ok","attributes":{},"events":[],"links":[]}"#
        let hugeDuration = #"{"timestamp":"2026-11-25T15:00:00Z","record":"span","level":"info","name":"huge","kind":"internal","trace_id":"\#(trace)","span_id":"e457b5a2e4d86bd1","parent_span_id":"b7ad6b7169203331","start":"2026-11-25T15:00:00Z","end":"2026-11-25T15:00:00Z","duration_ns":99999999999999999999999,"status":"ok","attributes":{},"events":[],"links":[]}"#
        try directory.write("app-99991231T235959Z-0001.jsonl.gz", gzipFile([zero, late], linesPerMember: 1))
        try directory.write("app-19700101T000000Z-0001.jsonl.gz", gzipFile([span, hugeDuration], linesPerMember: 1))
        try directory.write("foreign.jsonl", Array((zero + "\n").utf8))
        var times = [timespec(tv_sec: 10_413_792_000, tv_nsec: 0), timespec(tv_sec: 10_413_792_000, tv_nsec: 0)]   // 2300-01-01
        #expect(utimensat(AT_FDCWD, directory.file("foreign.jsonl"), &times, 0) == 0)
        return directory
    }

    static func expectNoTrap(_ result: SpanLogBinary.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.signalled && !result.timedOut, "\(what) trapped: \(result.error)", sourceLocation: sourceLocation)
        #expect(result.status == 0 || result.status == 1, "\(what): status \(result.status), \(result.error)", sourceLocation: sourceLocation)
        #expect(!result.error.contains("Fatal error"), "\(what): \(result.error)", sourceLocation: sourceLocation)
    }

    @Test("grep, trace, stats, tail and index on far times and far names", arguments: [
        ["grep", trace, "--pretty"],
        ["grep", trace, "--since", "2300-01-01T00:00:00Z"],
        ["grep", trace, "--until", "0001-01-01T00:00:00Z"],
        ["grep", trace, "--since", "9999-12-31T23:59:59Z", "--until", "0001-01-01T00:00:00Z", "--no-index"],
        ["grep", trace, "--since", "999999999w"],
        ["trace", trace],
        ["stats"],
        ["stats", "--json"],
        ["tail", "-n", "5", "--pretty"],
        ["index", "--force"],
    ])
    func commands(_ arguments: [String]) throws {
        let directory = try Self.farDirectory()
        let result = try SpanLogBinary.run(arguments + [directory.path], timeout: 30)
        if arguments.contains("999999999w") {
            // Past the representable range: refused as an argument (exit 2), not a trap.
            #expect(!result.signalled && result.status == 2 && result.error.contains("--since"), "\(result.error)")
            return
        }
        Self.expectNoTrap(result, arguments.joined(separator: " "))
        if arguments.first == "index" {
            // And the index of far stamps answers like a full read.
            let indexed = try SpanLogBinary.run(["grep", Self.trace, directory.path, "--since", "2300-01-01T00:00:00Z"])
            let scanned = try SpanLogBinary.run(["grep", Self.trace, directory.path, "--since", "2300-01-01T00:00:00Z", "--no-index"])
            Self.expectNoTrap(indexed, "grep after index")
            #expect(indexed.output == scanned.output)
            #expect(indexed.output.contains("far future"))
        }
    }

    @Test("the reader API: far times sort to the ends, durations saturate")
    func readerAPI() throws {
        let directory = try Self.farDirectory()
        let files = LogFileSet(paths: [directory.path]).files
        #expect(files.count == 3)
        let records = LogScanner(files: files, issues: { _ in }).records(ofTrace: Self.trace)
        #expect(records.first?.timestamp?.nanosecondsSinceEpoch == Int64.min)
        #expect(records.last?.message == "far future")
        let tree = TraceTree(traceID: Self.trace, records: records)
        _ = WaterfallRenderer(style: TerminalStyle(enabled: false)).render(tree)
        _ = HTMLRenderer().render(tree)
        var statistics = LogStatistics()
        for record in records { statistics.add(record) }
        _ = statistics.summary().text()
    }
}
