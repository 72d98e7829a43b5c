import Foundation
import SpanLog
import Testing

private typealias Support = FileSinkTestSupport

/// Two sinks with the same file name in one directory (two processes, or one process twice):
/// only the holder of the name's lock touches its files; the other writes `<name>-2-…` files.
@Suite("RotatingGzipFileSink name lock", .serialized)
struct RotatingGzipFileSinkNameLockTests {
    private static func names(_ directory: String) -> [String] {
        Support.logFiles(directory).map { ($0 as NSString).lastPathComponent }
    }

    /// "run seq" (the child's records) or the message of the records in the files whose name
    /// starts with `prefix`.
    private static func messages(_ directory: String, prefix: String, excluding: String? = nil) throws -> [String] {
        try Support.logFiles(directory).filter {
            let name = ($0 as NSString).lastPathComponent
            return name.hasPrefix(prefix) && !(excluding.map { name.hasPrefix($0) } ?? false)
        }
            .flatMap { try Support.records($0) }.compactMap { record in
                (record["run"] as? String).map { "\($0) \(record["seq"] as? Int ?? -1)" } ?? record["message"] as? String
            }
    }

    @Test("a second process with the same name neither deletes nor cuts the first one's live file", .timeLimit(.minutes(1)))
    func secondProcessLeavesTheLiveFileAlone() throws {
        let child = try Support.crashChildPath()
        let directory = try Support.makeTemporaryDirectory("lock-process")
        defer { Support.removeTree(directory) }
        let holder = try Support.Child(child, ["hold", directory, "shared"])
        _ = try holder.waitForLine("ready")

        // Same name, retaining one file: retention would delete the child's active file.
        let second = RotatingGzipFileSink(configuration: .init(
            directory: directory, fileName: "shared", rotateBytes: 4096, rotateInterval: .none, retainFiles: 1,
            flushIntervalMilliseconds: 20))
        for seq in 0..<20 {
            Support.write(second, #"{"run":"parent","seq":\#(seq),"pad":"\#(Support.incompressible(300))"}"#)
            second.flush()
        }
        second.shutdown()
        #expect(second.droppedRecords == 0)
        #expect(try holder.finish() == 0)

        let names = Self.names(directory)
        #expect(names.filter { $0.hasPrefix("shared-2-") }.count == 1, "the parent wrote as shared-2 and kept one file: \(names)")
        for file in Support.logFiles(directory) { #expect(try Support.gzipTest(file), "gzip -t failed for \(file)") }
        let childMessages = try Self.messages(directory, prefix: "shared-", excluding: "shared-2-")
        #expect(Set(childMessages).isSuperset(of: ["child 0", "child 1"]), "the child's records are all there: \(childMessages)")
        let parentRecords = try Support.logFiles(directory).filter { ($0 as NSString).lastPathComponent.hasPrefix("shared-2-") }
            .flatMap { try Support.records($0) }
        #expect(parentRecords.compactMap { $0["seq"] as? Int }.last == 19)
    }

    @Test("the lock of a process killed with -9 is free again", .timeLimit(.minutes(1)))
    func killedHolderFreesTheName() throws {
        let child = try Support.crashChildPath()
        let directory = try Support.makeTemporaryDirectory("lock-killed")
        defer { Support.removeTree(directory) }
        let holder = try Support.Child(child, ["hold", directory, "shared"])
        _ = try holder.waitForLine("ready")
        holder.killNow()

        let next = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "shared", rotateInterval: .none))
        Support.write(next, #"{"message":"after the kill"}"#)
        next.shutdown()
        let names = Self.names(directory)
        #expect(names.count == 2)
        #expect(names.allSatisfy { !$0.hasPrefix("shared-2-") }, "the name was free: \(names)")
        let records = try Support.records(try #require(Support.logFiles(directory).last))
        #expect(records.compactMap { $0["message"] as? String } == ["after the kill"])
    }

    @Test("two sinks of one name in one process: the second writes name-2 files; the name is free after shutdown")
    func twoSinksInOneProcess() throws {
        let directory = try Support.makeTemporaryDirectory("lock-in-process")
        defer { Support.removeTree(directory) }
        let clock = ManualClock("2026-11-25T15:04:05Z")
        let first = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "app", retainFiles: 1), clock: { clock.now() })
        Support.write(first, #"{"message":"first a"}"#)
        first.flush()
        let second = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "app", retainFiles: 1), clock: { clock.now() })
        Support.write(second, #"{"message":"second"}"#)
        second.flush()
        Support.write(first, #"{"message":"first b"}"#)
        first.shutdown()
        second.shutdown()
        #expect(Self.names(directory) == ["app-2-20261125T150405Z-0001.jsonl.gz", "app-20261125T150405Z-0001.jsonl.gz"])
        #expect(try Self.messages(directory, prefix: "app-2026") == ["first a", "first b"])
        #expect(try Self.messages(directory, prefix: "app-2-").filter { !$0.hasPrefix("SpanLog") } == ["second"])
        let notice = try #require(try Support.records(directory + "/app-2-20261125T150405Z-0001.jsonl.gz").first)
        #expect(notice["spanlog.file_name"] as? String == "app-2")
        #expect(notice["spanlog.held_name"] as? String == "app")
        #expect(notice["level"] as? String == "warning")

        let third = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "app", retainFiles: 1), clock: { clock.now() })
        Support.write(third, #"{"message":"third"}"#)
        third.shutdown()
        #expect(Self.names(directory) == ["app-2-20261125T150405Z-0001.jsonl.gz", "app-20261125T150405Z-0002.jsonl.gz"])
        #expect(FileManager.default.fileExists(atPath: directory + "/.app.lock"))
    }
}
