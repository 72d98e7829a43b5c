import Foundation
import SpanLogReader
import Testing

@Suite("damaged input: reported once with file and offset, reading goes on")
struct DamageTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let base = RecordTime(rfc3339: "2026-11-25T15:00:00Z")!

    static func lines(_ range: Range<Int>) -> [String] {
        range.map { logRecord(at: base + Int64($0) * 1_000_000, message: "m\($0)", trace: trace, span: "00f067aa0ba902b7") }
    }

    @Test("a torn last gzip member: the complete members are read, the tear reported at its offset")
    func truncatedTail() throws {
        let directory = try TemporaryDirectory()
        let members = [gzipMember(Self.lines(0..<3).map { $0 + "\n" }.joined()), gzipMember(Self.lines(3..<6).map { $0 + "\n" }.joined())]
        let torn = members[0] + members[1].prefix(members[1].count / 2)
        try directory.write("torn.jsonl.gz", Array(torn))
        let issues = IssueLog()
        let records = LogScanner(files: [directory.file("torn.jsonl.gz")], issues: issues.handler).records(ofTrace: Self.trace)
        #expect(records.compactMap(\.message) == ["m0", "m1", "m2"])
        #expect(issues.issues.count == 1)
        let issue = try #require(issues.issues.first)
        #expect(issue.severity == .warning)
        #expect(issue.offset == UInt64(members[0].count))
        #expect(issue.message.contains("truncated"))
        #expect(issue.description.contains("torn.jsonl.gz"))
    }

    @Test("a corrupt member in the middle is skipped by finding the next member header")
    func corruptMiddleMember() throws {
        let directory = try TemporaryDirectory()
        let members = (0..<4).map { gzipMember(Self.lines($0 * 3..<$0 * 3 + 3).map { $0 + "\n" }.joined()) }
        var second = members[1]
        for index in 12..<second.count - 8 { second[index] ^= 0x5A }
        try directory.write("corrupt.jsonl.gz", members[0] + second + members[2] + members[3])
        let issues = IssueLog()
        let records = LogScanner(files: [directory.file("corrupt.jsonl.gz")], issues: issues.handler).records(ofTrace: Self.trace)
        #expect(records.compactMap(\.message) == ["m0", "m1", "m2", "m6", "m7", "m8", "m9", "m10", "m11"])
        #expect(issues.issues.count == 1)
        let issue = try #require(issues.issues.first)
        #expect(issue.offset == UInt64(members[0].count))
        #expect(issue.message.contains("resumed at the next member at offset \(members[0].count + second.count)"))
    }

    @Test("garbage after the last member and a corrupt header reach the end: reported once")
    func garbageToEnd() throws {
        let directory = try TemporaryDirectory()
        let member = gzipMember(Self.lines(0..<2).map { $0 + "\n" }.joined())
        try directory.write("tail.jsonl.gz", member + [0x1F, 0x8B, 0x09] + Array(repeating: 0x42, count: 100))
        let issues = IssueLog()
        let records = LogScanner(files: [directory.file("tail.jsonl.gz")], issues: issues.handler).records(ofTrace: Self.trace)
        #expect(records.count == 2)
        #expect(issues.issues.count == 1)
        #expect(issues.issues.first?.offset == UInt64(member.count))
    }

    @Test("a binary file is one error; the other files are still read")
    func binaryFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a.jsonl", Array((Self.lines(0..<2).joined(separator: "\n") + "\n").utf8))
        try directory.write("b.log", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        let issues = IssueLog()
        let files = LogFileSet(paths: [directory.path]).files
        let records = LogScanner(files: files, issues: issues.handler).records(ofTrace: Self.trace)
        #expect(records.count == 2)
        #expect(issues.issues.count == 1)
        #expect(issues.issues.first?.severity == .error)
        #expect(issues.issues.first?.path.hasSuffix("b.log") == true)
    }

    @Test("an empty file, and an empty gzip member, are simply empty")
    func emptyFiles() throws {
        let directory = try TemporaryDirectory()
        try directory.write("empty.jsonl", [])
        try directory.write("empty.jsonl.gz", [])
        try directory.write("hollow.jsonl.gz", gzipMember("") + gzipMember(Self.lines(0..<1)[0] + "\n"))
        let issues = IssueLog()
        let records = LogScanner(files: LogFileSet(paths: [directory.path]).files, issues: issues.handler).records(ofTrace: Self.trace)
        #expect(records.count == 1)
        #expect(issues.issues.isEmpty)
    }

    @Test("malformed lines are skipped and reported once per file, with the first offset")
    func malformedLines() throws {
        let directory = try TemporaryDirectory()
        let good = Self.lines(0..<2)
        let text = good[0] + "\n" + #"{"trace_id":"\#(Self.trace)", broken"# + "\n" + #"{"trace_id":"\#(Self.trace)""# + "\n" + good[1] + "\n"
        try directory.write("m.jsonl", Array(text.utf8))
        let issues = IssueLog()
        let records = LogScanner(files: [directory.file("m.jsonl")], issues: issues.handler).records(ofTrace: Self.trace)
        #expect(records.count == 2)
        #expect(issues.issues.count == 2)
        #expect(issues.issues.first?.offset == UInt64(good[0].utf8.count + 1))
        #expect(issues.issues.last?.message.contains("1 more") == true)
    }

    @Test("a missing path and a directory without logs")
    func missingPaths() throws {
        let directory = try TemporaryDirectory()
        let set = LogFileSet(paths: [directory.file("nope"), directory.path])
        #expect(set.files.isEmpty)
        #expect(set.issues.count == 1)
        #expect(set.issues.first?.severity == .error)
        #expect(set.issues.first?.message == "no such file or directory")
    }
}
