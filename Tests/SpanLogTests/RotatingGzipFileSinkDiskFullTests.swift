#if DEBUG
import Foundation
@testable import SpanLog
import Testing

private typealias Support = FileSinkTestSupport

/// A real full disk: a small tmpfs filled to the last byte. When the sink starts a new file,
/// retention runs before its first write, so the old files it deletes make room for it, whether
/// new files start unnamed (`O_TMPFILE`) or under their name.
@Suite("RotatingGzipFileSink on a full disk", .serialized)
struct RotatingGzipFileSinkDiskFullTests {
    @Test("a full disk: retention frees room for the next file instead of an endless outage",
          .enabled(if: FileSinkTestSupport.canMount, "mounting a tmpfs needs root"),
          .timeLimit(.minutes(1)),
          arguments: [true, false])
    func retentionMakesRoomOnAFullDisk(unnamedFiles: Bool) throws {
        let directory = try Support.makeTemporaryDirectory("full")
        defer { Support.removeTree(directory) }
        try Support.mountTmpfs(directory, size: "512k")
        defer { Support.unmount(directory) }
        let logs = directory + "/logs"
        var configuration = RotatingGzipFileSink.Configuration(
            directory: logs, fileName: "app", rotateBytes: 4096, rotateInterval: .none, retainFiles: 2,
            flushIntervalMilliseconds: 20, outageBlockLimitMilliseconds: 300)
        configuration.usesUnnamedFiles = unnamedFiles
        let sink = RotatingGzipFileSink(configuration: configuration)
        defer { sink.shutdown() }
        // Two files of two members each (a member is about 3 KiB, a file is closed past 4 KiB).
        for seq in 0..<4 {
            Support.write(sink, #"{"seq":\#(seq),"pad":"\#(Support.incompressible(3000))"}"#)
            #expect(sink.flush(fsync: false) == .completed)
        }
        let before = Support.logFiles(logs)
        #expect(before.count == 2)
        Support.fillDisk(directory)

        // The next record starts a third file: retention (2 files) deletes the oldest first.
        Support.write(sink, #"{"seq":4,"pad":"\#(Support.incompressible(3000))"}"#)
        let result = sink.flush(fsync: false)
        #expect(result == .completed, "the record was written: \(result)")
        #expect(sink.droppedRecords == 0)
        let after = Support.logFiles(logs)
        #expect(after.count == 2)
        #expect(after.first == before.last, "the oldest file went, the newer one stayed")
        let records = try after.flatMap { try Support.records($0) }
        #expect(records.compactMap { $0["seq"] as? Int } == [2, 3, 4])
        #expect(records.allSatisfy { $0["spanlog.outage_seconds"] == nil }, "no outage at all")
    }
}
#endif
