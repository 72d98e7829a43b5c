import Foundation
@testable import SpanLog
@testable import SpanLogReader
import SpanLogFormat
import Synchronization
import Testing

/// The blocks of a log file's trace index, when it has a usable one.
enum TraceIndexFileProbe {
    static func blocks(of path: String) -> [TraceIndex.Block]? {
        if case .usable(let index) = TraceIndexFile.load(forLogFile: path) { return index.blocks }
        return nil
    }
}

/// Rotated, indexed files written by the real `RotatingGzipFileSink` from hand-made lines (so
/// record times are known): one record a second, from `SearchFiles.start`.
final class SearchFiles: @unchecked Sendable {
    static let start = RecordTime(rfc3339: "2026-11-25T10:00:00Z")!
    let directory: TemporaryDirectory
    /// The lines written, in order; `seq` is each one's index.
    let lines: [String]

    var files: [String] { LogFileSet(paths: [self.directory.path]).files }

    init(lines: [String], fileName: String = "checkout", rotateBytes: Int = 4 << 10, blockBytes: Int = 2 << 10, linesPerFlush: Int = 15) throws {
        self.directory = try TemporaryDirectory("spanlog-search")
        self.lines = lines
        var configuration = RotatingGzipFileSink.Configuration(directory: self.directory.path, fileName: fileName, rotateBytes: rotateBytes, flushIntervalMilliseconds: 60_000)
        configuration.traceIndexBlockBytes = blockBytes
        let sink = RotatingGzipFileSink(configuration: configuration)
        for (index, line) in lines.enumerated() {
            Array((line + "\n").utf8).withUnsafeBytes { sink.write($0) }
            if index % linesPerFlush == linesPerFlush - 1 { sink.flush() }
        }
        sink.shutdown()
    }

    static func time(_ second: Int) -> RecordTime { Self.start + RecordTime.seconds(Int64(second)) }

    /// The standard mix: logs at every level from two loggers, span records every fifth second
    /// (`http.server` roots and `db.query` children, some errors, several durations).
    static func mixed(count: Int = 900) throws -> SearchFiles {
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        var lines: [String] = []
        for index in 0..<count {
            let time = Self.time(index)
            let trace = String(format: "%032x", index / 5 + 1)
            if index % 5 == 4 {
                let root = index % 10 == 4
                let status = index % 15 == 4 ? "error" : "ok"
                let route = index % 20 == 4 ? "/checkout/{id}" : "/users"
                lines.append(spanRecord(trace: trace, span: String(format: "%016x", index + 1), parent: root ? nil : String(format: "%016x", index),
                                        name: root ? "http.server" : "db.query", start: time - RecordTime.seconds(Int64(index % 7)),
                                        durationMilliseconds: Int64(index % 7) * 1000, status: status,
                                        attributes: #"{"http.route":"\#(route)","seq":\#(index)}"#))
            } else {
                let message = "step \(index)" + (index % 3 == 0 ? " timed out" : " done")
                let logger = index % 2 == 0 ? "api" : "db"
                lines.append(#"{"timestamp":"\#(time.rfc3339)","record":"log","level":"\#(levels[index % 7])","logger":"\#(logger)","message":"\#(message)","trace_id":"\#(trace)","span_id":"\#(String(format: "%016x", index))","trace_flags":"01","user":"\#(index % 4)","seq":\#(index)}"#)
            }
        }
        return try SearchFiles(lines: lines)
    }

    func scanner(issues: IssueLog = IssueLog(), threads: Int = 2) -> LogScanner {
        LogScanner(files: self.files, threads: threads, issues: issues.handler)
    }

    /// The `seq` of each record (the span's attribute for span records).
    static func seq(_ record: LogLine) -> Int {
        Int(record.value(forField: "seq")?.plainText ?? "") ?? -1
    }

    /// The `seq`s the query keeps, found by parsing every line written.
    func expected(_ query: RecordQuery) -> [Int] {
        self.lines.enumerated().compactMap { index, line in
            let record = try! LogLine(text: line)
            return query.matches(record, fileService: "checkout") ? index : nil
        }
    }
}

@Suite("spanlog grep without a trace id: filters over rotated gzip files, time bounds skip blocks")
struct SearchTests {
    static let files = Result { try SearchFiles.mixed() }

    func found(_ query: RecordQuery, _ selection: RecordSearch.Selection = .all, issues: IssueLog = IssueLog()) throws -> [Int] {
        let search = RecordSearch(scanner: try Self.files.get().scanner(issues: issues), query: query)
        let kept = Mutex<[Int]>([])
        search.run(selection) { record in kept.withLock { $0.append(SearchFiles.seq(record)) } }
        return kept.withLock { $0 }
    }

    /// Checks that `query` finds exactly what a full parse finds, something, and not everything.
    func check(_ query: RecordQuery, _ comment: Comment) throws {
        let files = try Self.files.get()
        let expected = files.expected(query)
        #expect(!expected.isEmpty, comment)
        #expect(expected.count < files.lines.count, comment)
        let issues = IssueLog()
        #expect(try self.found(query, issues: issues) == expected, comment)
        #expect(issues.issues.isEmpty, comment)
    }

    @Test("the sink wrote several rotated files with indexes")
    func fixtureShape() throws {
        let files = try Self.files.get()
        #expect(files.files.count >= 3)
        #expect(files.files.allSatisfy { FileManager.default.fileExists(atPath: $0 + ".idx") })
    }

    @Test("--level is a minimum: warning keeps warning, error, critical and error spans, nothing below")
    func level() throws {
        var query = RecordQuery()
        query.minimumLevel = .warning
        try self.check(query, "level")
        let files = try Self.files.get()
        let kept = Set(try self.found(query))
        for (index, line) in files.lines.enumerated() where line.contains(#""level":"info""#) || line.contains(#""level":"debug""#) {
            #expect(!kept.contains(index))
        }
    }

    @Test("--since/--until keep exactly the records in the range")
    func timeRange() throws {
        var query = RecordQuery()
        query.since = SearchFiles.time(300)
        query.until = SearchFiles.time(420)
        try self.check(query, "time range")
        #expect(try self.found(query) == Array(300...420))
    }

    @Test("--field k=v (all must match), --message, --logger, --service")
    func fieldsAndText() throws {
        var query = RecordQuery()
        query.fields = [("user", "2"), ("logger", "api")]
        try self.check(query, "fields")
        query = RecordQuery()
        query.fields = [("http.route", "/checkout/{id}")]
        try self.check(query, "span attribute field")
        query = RecordQuery()
        query.message = .substring("timed out")
        try self.check(query, "message")
        query = RecordQuery()
        query.logger = "db"
        query.minimumLevel = .error
        try self.check(query, "logger and level")
        // Log records have no service field: the rotated file's name stands in.
        query = RecordQuery()
        query.service = "checkout"
        query.minimumLevel = .critical
        #expect(try self.found(query) == (try Self.files.get()).expected(query))
        query.service = "users"
        #expect(try self.found(query).isEmpty)
    }

    @Test("span-only filters: --span-name, --min-duration, --status error never keep a log record")
    func spanFilters() throws {
        var query = RecordQuery()
        query.spanName = "db.query"
        try self.check(query, "span name")
        query = RecordQuery()
        query.minimumDuration = 5_000_000_000
        try self.check(query, "min duration")
        query = RecordQuery()
        query.status = "error"
        try self.check(query, "status")
        let files = try Self.files.get()
        #expect(try self.found(query).allSatisfy { files.lines[$0].contains(#""record":"span""#) })
    }

    @Test("time bounds skip the index blocks outside them, and find the same as without the index")
    func timeBoundsSkipBlocks() throws {
        let files = try Self.files.get()
        var query = RecordQuery()
        query.since = SearchFiles.time(800)
        query.minimumLevel = .info
        let search = RecordSearch(scanner: files.scanner(), query: query)
        let kept = Mutex<[Int]>([])
        search.run(.all) { record in kept.withLock { $0.append(SearchFiles.seq(record)) } }
        #expect(kept.withLock { $0 } == files.expected(query))
        #expect(search.scan.statistics.blocksSkipped > search.scan.statistics.blocksRead)
        #expect(search.scan.statistics.bytesSkipped > 0)
        var unindexed = files.scanner()
        unindexed.usesIndexes = false
        let full = RecordSearch(scanner: unindexed, query: query)
        #expect(full.count() == kept.withLock { $0.count })
        #expect(full.scan.statistics.blocksSkipped == 0)
        #expect(full.scan.statistics.filesReadInFull == files.files.count)
    }

    @Test("a corrupt member outside the time range is never read; inside it, it is reported and the rest still searched")
    func corruptMemberOutsideRange() throws {
        let files = try SearchFiles.mixed(count: 600)
        let first = files.files[0]
        // Damage the first file's second block (records of the first minutes).
        let index = try #require(TraceIndexFileProbe.blocks(of: first))
        #expect(index.count >= 2)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: first)))
        let middle = Int(index[1].offset) + Int(index[1].length) / 2
        for offset in middle..<(middle + 64) { bytes[offset] ^= 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: first))
        // Bounded to after the first file: nothing damaged is read, nothing reported.
        var query = RecordQuery()
        query.since = SearchFiles.time(590)
        let issues = IssueLog()
        let search = RecordSearch(scanner: files.scanner(issues: issues), query: query)
        #expect(search.count() == 10)
        #expect(issues.issues.isEmpty)
        // Unbounded: the damage is reported (the index no longer vouches, or the member fails) and
        // the other files are still searched.
        let all = IssueLog()
        let whole = RecordSearch(scanner: files.scanner(issues: all), query: RecordQuery())
        let count = whole.count()
        #expect(!all.issues.isEmpty)
        #expect(count > 500 && count < 600)
    }

    @Test("--limit: the n oldest (oldest first) or the n newest (newest first); --count counts")
    func limitAndCount() throws {
        let files = try Self.files.get()
        var query = RecordQuery()
        query.minimumLevel = .error
        let expected = files.expected(query)
        #expect(try self.found(query, .oldest(7)) == Array(expected.prefix(7)))
        #expect(try self.found(query, .newest(7)) == Array(expected.suffix(7).reversed()))
        #expect(try self.found(query, .newest(100_000)) == expected.reversed())
        #expect(try self.found(query, .oldest(0)).isEmpty)
        #expect(RecordSearch(scanner: files.scanner(threads: 1), query: query).count() == expected.count)
        #expect(RecordSearch(scanner: files.scanner(), query: query).count() == expected.count)
    }

    @Test("the line prefilter never rejects a line that matches (SpanLog's shape and other shapes)")
    func prefilterIsConservative() throws {
        var query = RecordQuery()
        query.minimumLevel = .warning
        query.since = SearchFiles.time(10)
        query.message = .substring("x")
        let prefilter = LinePrefilter(query: query)
        let lines = [
            #"{"timestamp":"2026-11-25T10:00:20.000000000Z","record":"log","level":"warning","logger":"a","message":"x"}"#,
            #"{"level":"error","timestamp":"2026-11-25T10:00:20Z","record":"log","message":"x"}"#,
            #"{"timestamp":"2026-11-25T10:00:20.000000000Z","record":"log","level":"WARN","logger":"a","message":"x"}"#,
        ]
        for line in lines {
            let record = try LogLine(text: line)
            #expect(query.matches(record))
            #expect(Array(line.utf8).withUnsafeBytes { prefilter.mayMatch($0) }, "\(line)")
        }
        let rejected = #"{"timestamp":"2026-11-25T10:00:20.000000000Z","record":"log","level":"info","logger":"a","message":"x"}"#
        #expect(!Array(rejected.utf8).withUnsafeBytes { prefilter.mayMatch($0) })
    }
}
