import Foundation
import Logging
import SpanLog
import SpanLogReader
import Testing

@Suite("grep: finding a trace across rotated gzip files")
struct GrepTests {
    /// Three rotated files and the active one, all multi-member gzip; trace A spread over all of
    /// them among other traces and untraced logs.
    struct RotatedSet {
        let directory: TemporaryDirectory
        let traceA: String
        let expected: [String]
        let spanRoot: String
        let spanChild: String
    }

    static func makeRotatedSet() throws -> RotatedSet {
        let directory = try TemporaryDirectory()
        let maker = RecordMaker()
        let traceA = randomHex(32)
        let traceB = randomHex(32)
        let root = randomHex(16)
        let child = randomHex(16)
        var files: [[String]] = [[], [], [], []]
        var expected: [String] = []
        for index in 0..<80 {
            let file = index / 20
            let inChild = index % 2 == 0
            let line = maker.log(index % 10 == 0 ? .error : .info, "step \(index)", in: (traceA, inChild ? child : root), metadata: ["n": "\(index)"])
            files[file].append(line)
            expected.append(line)
            files[file].append(maker.log(.info, "noise \(index)", in: (traceB, randomHex(16))))
            files[file].append(maker.log(.debug, "untraced \(index)", in: nil))
            // Mentions trace A's id without belonging to it: the byte search finds it, the check drops it.
            files[file].append(maker.log(.info, "see \(traceA)", in: (traceB, randomHex(16))))
            if index % 20 == 19 {
                let span = spanRecord(trace: traceA, span: child, parent: root, name: "child-\(file)", start: RecordTime.now() - 1_000_000, durationMilliseconds: 1)
                files[file].append(span)
                expected.append(span)
            }
        }
        for (index, lines) in files.enumerated() {
            try directory.write(rotatedName(index), gzipFile(lines, linesPerMember: 7))
        }
        return RotatedSet(directory: directory, traceA: traceA, expected: expected, spanRoot: root, spanChild: child)
    }

    @Test("every record of the trace, from 3 rotated files and the active one, in time order")
    func findsAcrossRotation() throws {
        let set = try Self.makeRotatedSet()
        let files = LogFileSet(paths: [set.directory.path])
        #expect(files.issues.isEmpty)
        #expect(files.files.map { ($0 as NSString).lastPathComponent } == (0..<4).map { rotatedName($0) })
        let issues = IssueLog()
        for threads in [1, 2] {
            let records = LogScanner(files: files.files, threads: threads, issues: issues.handler).records(ofTrace: set.traceA)
            #expect(records.map(\.text) == set.expected)
            let times = records.compactMap(\.timestamp)
            #expect(times == times.sorted())
        }
        #expect(issues.issues.isEmpty)
    }

    @Test("files written and rotated by the real RotatingGzipFileSink are read in order, active file last")
    func realFileSink() throws {
        let directory = try TemporaryDirectory()
        let sink = RotatingGzipFileSink(configuration: .init(
            directory: directory.path, fileName: "app", rotateBytes: 4096, retainFiles: 10_000, flushIntervalMilliseconds: 2
        ))
        let maker = RecordMaker(extraSinks: [sink])
        let trace = randomHex(32)
        let span = randomHex(16)
        var expected: [String] = []
        for index in 0..<1500 {
            expected.append(maker.log(.info, "step \(index)", in: (trace, span), metadata: ["pad": "\(randomHex(32))"]))
            maker.log(.info, "noise \(index)", in: (randomHex(32), randomHex(16)), metadata: ["pad": "\(randomHex(32))"])
            if index % 100 == 99 { maker.pipeline.flush() }
        }
        maker.pipeline.shutdown()
        let files = LogFileSet(paths: [directory.path]).files
        #expect(files.count >= 4)
        let issues = IssueLog()
        let records = LogScanner(files: files, issues: issues.handler).records(ofTrace: trace)
        #expect(records.map(\.text) == expected)
        #expect(issues.issues.isEmpty)
    }

    @Test("files are merged by timestamp, not by the order they were named in")
    func mergesByTimestamp() throws {
        let directory = try TemporaryDirectory()
        let trace = randomHex(32)
        let base = RecordTime(rfc3339: "2026-11-25T15:00:00Z")!
        let early = (0..<3).map { logRecord(at: base + Int64($0) * 2_000_000, message: "a\($0)", trace: trace, span: "00f067aa0ba902b7") }
        let late = (0..<3).map { logRecord(at: base + Int64($0) * 2_000_000 + 1_000_000, message: "b\($0)", trace: trace, span: "00f067aa0ba902b7") }
        try directory.write("late.jsonl", Array((late.joined(separator: "\n") + "\n").utf8))
        try directory.write("early.jsonl.gz", gzipFile(early, linesPerMember: 1))
        let records = LogScanner(files: [directory.file("late.jsonl"), directory.file("early.jsonl.gz")], issues: { _ in }).records(ofTrace: trace)
        #expect(records.compactMap(\.message) == ["a0", "b0", "a1", "b1", "a2", "b2"])
    }

    @Test("plain .jsonl and .log files, CRLF line ends and a last line without newline")
    func plainFiles() throws {
        let directory = try TemporaryDirectory()
        let trace = randomHex(32)
        let base = RecordTime(rfc3339: "2026-11-25T15:00:00Z")!
        let lines = (0..<4).map { logRecord(at: base + Int64($0), message: "m\($0)", trace: trace, span: "00f067aa0ba902b7") }
        try directory.write("a.jsonl", Array((lines[0] + "\r\n" + lines[1] + "\n").utf8))
        try directory.write("b.log", Array((lines[2] + "\n" + lines[3]).utf8))
        try directory.write("notes.txt", Array((lines[0] + "\n").utf8))
        let files = LogFileSet(paths: [directory.path]).files
        #expect(files.count == 2)
        let records = LogScanner(files: files, issues: { _ in }).records(ofTrace: trace)
        #expect(records.map(\.text) == lines)
    }

    @Test("a line longer than the read buffer is found whole")
    func longLine() throws {
        let directory = try TemporaryDirectory()
        let trace = randomHex(32)
        let padding = String(repeating: "x", count: 3 * 1024 * 1024)
        let line = logRecord(at: RecordTime(rfc3339: "2026-11-25T15:00:00Z")!, message: "big", trace: trace, span: nil, extra: #","pad":"\#(padding)""#)
        try directory.write("big.jsonl.gz", gzipFile([line, line], linesPerMember: 1))
        let records = LogScanner(files: [directory.file("big.jsonl.gz")], issues: { _ in }).records(ofTrace: trace)
        #expect(records.count == 2)
        #expect(records.first?.text == line)
    }
}
