import Foundation
@testable import SpanLogReader
import Testing

@Suite("over-long lines: skipped to their newline and reported, memory stays flat")
struct LongLineTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"

    /// A gzip file: a good record, `longLineBytes` of 'x' then a newline, another good record.
    /// The long line is its own member, deflated in pieces so the file stays small.
    static func fileWithLongLine(_ longLineBytes: Int, newline: Bool = true) -> (bytes: [UInt8], good: [String]) {
        let good = (0..<2).map { logRecord(at: DamageTests.base + Int64($0), message: "good \($0)", trace: Self.trace, span: nil) }
        let chunk = String(repeating: "x", count: 1 << 20)
        var bytes = gzipMember(good[0] + "\n")
        var remaining = longLineBytes
        while remaining > 0 {
            let piece = min(remaining, chunk.utf8.count)
            bytes += gzipMember(String(chunk.prefix(piece)))
            remaining -= piece
        }
        bytes += gzipMember((newline ? "\n" : "") + good[1] + "\n")
        return (bytes, good)
    }

    @Test("a 20 MiB line without a newline between two records: both records found, the line reported once with file and offset")
    func longLineIsSkipped() throws {
        let directory = try TemporaryDirectory()
        let file = Self.fileWithLongLine(20 << 20)
        #expect(file.bytes.count < 1 << 20, "the gzip file is small: \(file.bytes.count) bytes")
        try directory.write("long.jsonl.gz", file.bytes)
        let issues = IssueLog()
        let records = LogScanner(files: [directory.file("long.jsonl.gz")], issues: issues.handler).records(ofTrace: Self.trace)
        #expect(records.map(\.text) == file.good)
        #expect(issues.issues.count == 1, "\(issues.issues)")
        let issue = try #require(issues.issues.first)
        #expect(issue.severity == .warning)
        #expect(issue.path.hasSuffix("long.jsonl.gz"))
        #expect(issue.offset == UInt64(file.good[0].utf8.count + 1), "the decompressed offset where the long line starts")
        #expect(issue.message.contains("longer than \(LogFileReader.maximumLineBytes) bytes"))
        #expect(issue.description.contains("long.jsonl.gz: offset \(file.good[0].utf8.count + 1)"))
    }

    @Test("the line buffer never grows past the limit plus one read, however long the line", arguments: [false, true])
    func bufferStaysFlat(plain: Bool) throws {
        let directory = try TemporaryDirectory()
        let file = Self.fileWithLongLine(40 << 20)
        let name = plain ? "long.jsonl" : "long.jsonl.gz"
        if plain {
            let text = file.good[0] + "\n" + String(repeating: "x", count: 40 << 20) + "\n" + file.good[1] + "\n"
            try directory.write(name, Array(text.utf8))
        } else {
            try directory.write(name, file.bytes)
        }
        let issues = IssueLog()
        let reader = try LogFileReader(path: directory.file(name), issues: issues.handler)
        var lines: [String] = []
        let consume: (UnsafeRawBufferPointer, UInt64) -> Void = { block, offset in
            LineSplitter.forEachLine(in: block, startingAt: offset) { line, _ in lines.append(String(decoding: line, as: UTF8.self)) }
        }
        while reader.readAvailable(consume) > 0 {}
        reader.finish(consume)
        #expect(lines == file.good)
        #expect(reader.lineBufferCapacity <= LogFileReader.maximumLineBytes + 256 * 1024,
                "the line buffer grew to \(reader.lineBufferCapacity) bytes")
        #expect(issues.issues.count == 1)
    }

    @Test("a line of exactly the limit is kept; one byte more is skipped")
    func limitIsExact() throws {
        let directory = try TemporaryDirectory()
        let limit = LogFileReader.maximumLineBytes
        // {"trace_id":"…","pad":"xxxx…"} padded to exactly `limit` bytes.
        let head = #"{"trace_id":"\#(Self.trace)","pad":""#
        func line(_ length: Int) -> String { head + String(repeating: "x", count: length - head.utf8.count - 2) + "\"}" }
        try directory.write("edge.jsonl", Array((line(limit) + "\n" + line(limit + 1) + "\n").utf8))
        let issues = IssueLog()
        let records = LogScanner(files: [directory.file("edge.jsonl")], issues: issues.handler).records(ofTrace: Self.trace)
        #expect(records.map(\.text.utf8.count) == [limit])
        #expect(issues.issues.map(\.offset) == [UInt64(limit + 1)])
    }

    @Test("spanlog grep prints both records and names the long line on stderr")
    func commandLine() throws {
        let directory = try TemporaryDirectory()
        let file = Self.fileWithLongLine(20 << 20)
        try directory.write("long.jsonl.gz", file.bytes)
        let result = try SpanLogBinary.run(["grep", Self.trace, directory.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == file.good.map { $0 + "\n" }.joined())
        #expect(result.error.contains("long.jsonl.gz: offset \(file.good[0].utf8.count + 1): line longer than"), "\(result.error)")
    }
}
