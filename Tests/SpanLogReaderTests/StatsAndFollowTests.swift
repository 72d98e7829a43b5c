import Foundation
import Logging
import SpanLogReader
import Testing

@Suite("stats and tail")
struct StatsAndFollowTests {
    @Test("counts by level and logger, error rates, span percentiles by name, traces with errors")
    func statistics() throws {
        let fixture = TraceFixture()
        let directory = try TemporaryDirectory()
        try fixture.write(to: directory)
        let maker = RecordMaker(label: "worker")
        var extra: [String] = []
        for index in 0..<10 {
            extra.append(maker.log(index < 3 ? .error : .info, "job \(index)", in: nil))
            extra.append(spanRecord(trace: randomHex(32), span: randomHex(16), parent: nil, name: "job.run", start: TraceFixture.base, durationMilliseconds: Int64(index + 1) * 10))
        }
        try directory.write("extra.jsonl", Array(extra.map { $0 + "\n" }.joined().utf8))
        let parts = LogScanner(files: LogFileSet(paths: [directory.path]).files, issues: { _ in }).collect({ LogStatistics() }, { $0.add($1) })
        var statistics = LogStatistics()
        parts.forEach { statistics.merge($0) }
        let summary = statistics.summary()
        #expect(summary.logs == 8 + 10)
        #expect(summary.spans == 5 + 10)
        #expect(summary.byLogger.first { $0.logger == "worker" }?.count == 10)
        #expect(summary.byLevel.first { $0.level == "error" }?.count == 4)
        #expect(summary.errorLogs == 4)
        #expect(abs(summary.errorRate - 4.0 / 18.0) < 1e-9)
        #expect(summary.errorSpans == 1)
        let job = try #require(summary.slowestSpans.first { $0.name == "job.run" })
        #expect(job.count == 10)
        #expect(job.p50 == 50_000_000)
        #expect(job.p95 == 100_000_000)
        #expect(job.max == 100_000_000)
        #expect(summary.slowestSpans.first?.name == "http.server" || summary.slowestSpans.first?.name == "job.run")
        #expect(summary.tracesWithErrors == 1)
        #expect(summary.topErrorTraces.first?.traceID == fixture.trace)
        let json = try JSONParser.parse(summary.json())
        #expect(json["logs"]?.int64 == 18)
        #expect(json["traces_with_errors"]?.int64 == 1)
        #expect(summary.text().contains("job.run"))
    }

    @Test("the follower prints the last lines, then new members as they land, then moves to a newer file")
    func follower() throws {
        let directory = try TemporaryDirectory()
        let trace = randomHex(32)
        func line(_ index: Int) -> String {
            logRecord(at: TraceFixture.base + Int64(index), message: "m\(index)", trace: trace, span: nil)
        }
        try directory.write(rotatedName(0), gzipFile((0..<5).map(line), linesPerMember: 2))
        try directory.write(rotatedName(1), gzipFile((5..<10).map(line), linesPerMember: 2))
        let issues = IssueLog()
        let follower = LogFollower(directory: directory.path, initialLines: 3, issues: issues.handler)
        var seen: [String] = []
        let collect: (UnsafeRawBufferPointer) -> Void = { seen.append(try! LogLine(bytes: $0, location: .init(fileIndex: 0, offset: 0)).message!) }
        follower.poll(collect)
        #expect(seen == ["m7", "m8", "m9"])
        #expect(follower.currentFile?.hasSuffix(rotatedName(1)) == true)

        // A member still being written waits; once whole, it is read.
        let member = gzipMember(line(10) + "\n" + line(11) + "\n")
        try directory.append(rotatedName(1), Array(member.prefix(10)))
        follower.poll(collect)
        #expect(seen.count == 3)
        try directory.append(rotatedName(1), Array(member.dropFirst(10)))
        follower.poll(collect)
        #expect(seen.suffix(2) == ["m10", "m11"])

        // Rotation: the rest of the old file, then the new file from its start.
        try directory.append(rotatedName(1), gzipMember(line(12) + "\n"))
        try directory.write(rotatedName(2), gzipFile((13..<15).map(line), linesPerMember: 1))
        follower.poll(collect)
        #expect(seen.suffix(3) == ["m12", "m13", "m14"])
        #expect(follower.currentFile?.hasSuffix(rotatedName(2)) == true)
        follower.poll(collect)
        #expect(seen.count == 8)
        #expect(issues.issues.isEmpty)
    }
}
