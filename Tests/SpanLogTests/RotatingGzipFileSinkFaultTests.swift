import Foundation
import SpanLog
import Testing

private typealias Support = FileSinkTestSupport

/// I/O faults while the sink runs: never a crash, never a hang; the outage is reported in the
/// file once writing works again, and writing goes on.
@Suite("RotatingGzipFileSink faults", .serialized)
struct RotatingGzipFileSinkFaultTests {
    @Test("disk full (RLIMIT_FSIZE in a child): callers wait at most the limit, drops are counted and reported", .timeLimit(.minutes(1)))
    func diskFullInAChild() throws {
        let child = try Support.crashChildPath()
        let directory = try Support.makeTemporaryDirectory("fsize")
        defer { Support.removeTree(directory) }
        let output = try Support.run(child, ["fsize", directory], timeout: 30)
        #expect(output.status == 0, "child failed: \(output.stderr)")
        func value(_ key: String) -> Int? {
            output.stdout.split(separator: "\n").first { $0.hasPrefix(key + " ") }.flatMap { Int($0.dropFirst(key.count + 1)) }
        }
        let before = try #require(value("before"))
        let dropped = try #require(value("dropped"))
        let slowest = try #require(value("slowest-write-ms"))
        #expect(slowest < 2_000, "a caller waited \(slowest) ms; the outage limit is 300 ms")
        #expect(dropped > 0, "a 1 s outage with a 300 ms limit must drop")
        #expect(output.stderr.contains("File too large"), "the outage is named on stderr: \(output.stderr)")

        var keptBefore = 0
        var after = 0
        var outageReports: [[String: Any]] = []
        for file in Support.logFiles(directory) {
            #expect(try Support.gzipTest(file))
            for record in try Support.records(file) {
                switch record["run"] as? String {
                case "before": keptBefore += 1
                case "after": after += 1
                default: if record["spanlog.outage_seconds"] != nil { outageReports.append(record) }
                }
            }
        }
        #expect(keptBefore + dropped == before)
        #expect(after == 100, "writing resumed after the outage")
        let report = try #require(outageReports.first)
        #expect(report["spanlog.dropped_records"] as? Int == dropped)
        #expect((report["spanlog.error"] as? String)?.contains("EFBIG") == true)
    }

    @Test("a deleted directory is recreated and writing goes on", .timeLimit(.minutes(1)))
    func deletedDirectoryIsRecreated() throws {
        let parent = try Support.makeTemporaryDirectory("deleted")
        defer { Support.removeTree(parent) }
        let directory = parent + "/logs"
        let sink = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app", flushIntervalMilliseconds: 20))
        defer { sink.shutdown() }
        Support.write(sink, #"{"message":"before"}"#)
        sink.flush()
        try FileManager.default.removeItem(atPath: directory)
        for index in 0..<100 { Support.write(sink, #"{"message":"after \#(index)"}"#) }
        sink.flush()
        let files = Support.logFiles(directory)
        #expect(files.count == 1)
        let records = try files.flatMap { try Support.records($0) }
        let messages = records.compactMap { $0["message"] as? String }
        #expect(messages.filter { $0.hasPrefix("after ") } == (0..<100).map { "after \($0)" })
        #expect(messages.contains { $0.contains("was deleted while open") })
        #expect(sink.droppedRecords == 0)
    }

    @Test("the directory replaced by a file: an outage that ends when it is fixed", .timeLimit(.minutes(1)))
    func directoryReplacedByAFile() throws {
        let parent = try Support.makeTemporaryDirectory("replaced")
        defer { Support.removeTree(parent) }
        let directory = parent + "/logs"
        let sink = RotatingGzipFileSink(configuration: .init(
            directory: directory, fileName: "app", flushIntervalMilliseconds: 20, queueBytes: 4096,
            outageBlockLimitMilliseconds: 200))
        defer { sink.shutdown() }
        Support.write(sink, #"{"message":"before"}"#)
        sink.flush()
        try FileManager.default.removeItem(atPath: directory)
        _ = FileManager.default.createFile(atPath: directory, contents: Data("in the way\n".utf8))

        // Log for 700 ms into the outage; no call may hang.
        let start = Date()
        var written = 0
        var slowest: TimeInterval = 0
        while Date().timeIntervalSince(start) < 0.7 {
            let callStart = Date()
            Support.write(sink, #"{"message":"during","seq":\#(written)}"#)
            slowest = max(slowest, Date().timeIntervalSince(callStart))
            written += 1
        }
        let flushStart = Date()
        sink.flush()
        #expect(Date().timeIntervalSince(flushStart) < 3, "flush during an outage is bounded")
        #expect(slowest < 2, "a caller waited \(slowest) s; the outage limit is 0.2 s")

        try FileManager.default.removeItem(atPath: directory)
        usleep(1_500_000)  // longer than the longest backoff (1 s)
        for index in 0..<10 { Support.write(sink, #"{"message":"after \#(index)"}"#) }
        sink.flush()

        var during = 0
        var after = 0
        var reports: [[String: Any]] = []
        for file in Support.logFiles(directory) {
            #expect(try Support.gzipTest(file))
            for record in try Support.records(file) {
                let message = record["message"] as? String ?? ""
                if message == "during" { during += 1 }
                if message.hasPrefix("after ") { after += 1 }
                if record["spanlog.outage_seconds"] != nil { reports.append(record) }
            }
        }
        let dropped = Int(sink.droppedRecords)
        #expect(dropped > 0)
        #expect(during + dropped == written)
        #expect(after == 10)
        #expect(reports.count == 1)
        #expect(reports.first?["spanlog.dropped_records"] as? Int == dropped)
    }

    @Test("a read-only directory (needs a non-root user): an outage at rotation that ends on chmod back",
          .enabled(if: FileSinkTestSupport.permissionsAreEnforced, "runs as root, where chmod 0500 is not enforced; the replaced-directory test covers root"),
          .timeLimit(.minutes(1)))
    func readOnlyDirectory() throws {
        let directory = try Support.makeTemporaryDirectory("readonly")
        defer { Support.removeTree(directory) }
        let sink = RotatingGzipFileSink(configuration: .init(
            directory: directory, fileName: "app", rotateBytes: 4096, rotateInterval: .none, retainFiles: 1000,
            flushIntervalMilliseconds: 20, outageBlockLimitMilliseconds: 200))
        defer { sink.shutdown() }
        Support.write(sink, #"{"message":"before"}"#)
        sink.flush()
        chmod(directory, 0o500)
        for index in 0..<2000 { Support.write(sink, #"{"message":"during","seq":\#(index),"pad":"\#(index * 7919)"}"#) }
        sink.flush()
        chmod(directory, 0o750)
        usleep(1_500_000)
        Support.write(sink, #"{"message":"after"}"#)
        sink.flush()
        var during = 0
        var after = 0
        for file in Support.logFiles(directory) {
            #expect(try Support.gzipTest(file))
            for record in try Support.records(file) {
                if record["message"] as? String == "during" { during += 1 }
                if record["message"] as? String == "after" { after += 1 }
            }
        }
        #expect(during + Int(sink.droppedRecords) == 2000)
        #expect(after == 1)
    }
}
