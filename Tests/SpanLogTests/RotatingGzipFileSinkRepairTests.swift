import Foundation
import SpanLog
import Testing

private typealias Support = FileSinkTestSupport

/// Repair at start: whole members after damage are kept, damage is reported where it is, and a
/// file its trace index vouches for is not read at all.
@Suite("RotatingGzipFileSink repair at start", .serialized)
struct RotatingGzipFileSinkRepairTests {
    /// Writes one member per message into a new file of `directory` and returns the file and the
    /// offsets where each member ends.
    private static func writeMembers(_ directory: String, _ messages: [String], index: Bool, clock: ManualClock) throws -> (path: String, ends: [Int]) {
        let sink = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "app", writesTraceIndex: index), clock: { clock.now() })
        var ends: [Int] = []
        for message in messages {
            Support.write(sink, #"{"message":"\#(message)","pad":"\#(Support.incompressible(200))"}"#)
            sink.flush()
            let path = try #require(Support.logFiles(directory).last)
            ends.append(try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
        }
        sink.shutdown()
        return (try #require(Support.logFiles(directory).last), ends)
    }

    /// The messages in `bytes` (whole gzip members), read by the real `gzip -dc`.
    private static func messages(in bytes: Data, _ scratch: String) throws -> [String] {
        let path = scratch + "/slice.gz"
        try bytes.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Support.records(path).compactMap { $0["message"] as? String }
    }

    @Test("a damaged member in the middle: the members after it stay, only the torn tail is cut, the damage is reported where it is")
    func membersAfterDamageAreKept() throws {
        let directory = try Support.makeTemporaryDirectory("damaged-middle")
        defer { Support.removeTree(directory) }
        let scratch = try Support.makeTemporaryDirectory("damaged-scratch")
        defer { Support.removeTree(scratch) }
        let clock = ManualClock("2026-11-25T15:04:05Z")
        let (path, ends) = try Self.writeMembers(directory, ["m1", "m2", "m3"], index: false, clock: clock)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(original.count == ends[2])

        // Garbage inside the second member (as a failing disk or a machine crash leaves it), and
        // half of another member at the end (a write cut short).
        var damaged = original
        let middle = ends[0] + (ends[1] - ends[0]) / 2
        for offset in middle..<(middle + 16) { damaged[offset] ^= 0xA5 }
        let torn = original[ends[1]..<ends[2]].prefix((ends[2] - ends[1]) / 2)
        damaged.append(contentsOf: torn)
        try damaged.write(to: URL(fileURLWithPath: path))
        #expect(try !Support.gzipTest(path))

        let second = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"), clock: { clock.now() })
        Support.write(second, #"{"message":"after restart"}"#)
        second.shutdown()

        let repaired = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(repaired == damaged.prefix(ends[2]), "only the torn tail was cut; the third member stayed")
        try #require(repaired.count >= ends[2])
        #expect(try Self.messages(in: repaired.prefix(ends[0]), scratch) == ["m1"])
        #expect(try Self.messages(in: repaired[ends[1]..<ends[2]], scratch) == ["m3"], "the member after the damage is whole")

        let files = Support.logFiles(directory)
        #expect(files.count == 2)
        let records = try Support.records(try #require(files.last))
        let warning = try #require(records.first { $0["spanlog.repaired_file"] != nil })
        #expect(warning["spanlog.repaired_file"] as? String == (path as NSString).lastPathComponent)
        #expect(warning["spanlog.damaged_ranges"] as? String == "\(ends[0])-\(ends[1])")
        #expect(warning["spanlog.dropped_bytes"] as? Int == torn.count)
        let message = try #require(warning["message"] as? String)
        #expect(message.contains("cut off \(torn.count) bytes after the last whole gzip member at offset \(ends[2])"), "\(message)")
        #expect(records.compactMap { $0["message"] as? String }.contains("after restart"))
    }

    @Test("a cleanly closed, indexed newest file is not read at start")
    func indexedFileIsNotWalked() throws {
        let directory = try Support.makeTemporaryDirectory("indexed")
        defer { Support.removeTree(directory) }
        let clock = ManualClock("2026-11-25T15:04:05Z")
        let (path, ends) = try Self.writeMembers(directory, ["m1", "m2", "m3"], index: true, clock: clock)
        #expect(FileManager.default.fileExists(atPath: path + ".idx"))
        // Damage inside the second member that leaves the size and the last trailer as the index
        // recorded them: a walk of the file would find it (and cut the file there); a start that
        // trusts the index does not read the file at all.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let middle = ends[0] + (ends[1] - ends[0]) / 2
        for offset in middle..<(middle + 16) { bytes[offset] ^= 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: path))

        let second = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "app"), clock: { clock.now() })
        Support.write(second, #"{"message":"after restart"}"#)
        second.shutdown()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes, "the file was not touched")
        let records = try Support.records(try #require(Support.logFiles(directory).last))
        #expect(records.allSatisfy { $0["spanlog.repaired_file"] == nil }, "nothing was walked, so nothing found: \(records)")
        #expect(FileManager.default.fileExists(atPath: path + ".idx"))
    }
}
