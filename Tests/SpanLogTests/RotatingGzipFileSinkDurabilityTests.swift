#if DEBUG
import Foundation
@testable import SpanLog
import Synchronization
import Testing

private typealias Support = FileSinkTestSupport

/// `flush(fsync: true)` covers every record written before it (files closed by rotation since
/// the last durable flush included, and the directory entries of new files), and says when a
/// sync failed.
@Suite("RotatingGzipFileSink durable flush", .serialized)
struct RotatingGzipFileSinkDurabilityTests {
    /// The syncs a sink made: the inode of each descriptor and its size then (a path from
    /// `/proc/self/fd` would still name an `O_TMPFILE` file by its unnamed start).
    final class SyncLog: Sendable {
        let syncs = Mutex<[(inode: UInt64, size: Int)]>([])

        func record(_ fd: Int32) {
            var info = stat()
            guard fstat(fd, &info) == 0 else { return }
            self.syncs.withLock { $0.append((UInt64(info.st_ino), Int(info.st_size))) }
        }

        /// Whether `path` was synced when it had `size` bytes (any size for a directory).
        func synced(_ path: String, size: Int?) -> Bool {
            var info = stat()
            guard stat(path, &info) == 0 else { return false }
            return self.syncs.withLock { $0.contains { $0.inode == UInt64(info.st_ino) && (size == nil || $0.size == size) } }
        }
    }

    @Test("a failed fsync is reported to the caller of flush(fsync: true)")
    func failedSyncReachesTheCaller() throws {
        let directory = try Support.makeTemporaryDirectory("fsync-fails")
        defer { Support.removeTree(directory) }
        var faults = FileSinkFaults()
        faults.fsync = { _ in EIO }
        let sink = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "app", flushIntervalMilliseconds: 60_000),
            clock: { RecordTime.now() }, faults: faults)
        defer { sink.shutdown() }
        Support.write(sink, #"{"message":"must be durable"}"#)
        let result = sink.flush(fsync: true)
        guard case .failed(let reason) = result else {
            Issue.record("the failed fsync was not reported: \(result)")
            return
        }
        #expect(reason.contains("EIO"), "\(reason)")
        // The records are in the file all the same (a process crash does not lose them).
        let file = try #require(Support.logFiles(directory).first)
        #expect(try Support.records(file).compactMap { $0["message"] as? String } == ["must be durable"])
        // A plain flush does not sync, so it does not fail.
        Support.write(sink, #"{"message":"later"}"#)
        #expect(sink.flush(fsync: false) == .completed)
    }

    @Test("flush(fsync: true) syncs the files rotation closed since, at their final size, and the directory")
    func durableFlushCoversRotatedFiles() throws {
        let directory = try Support.makeTemporaryDirectory("fsync-rotated")
        defer { Support.removeTree(directory) }
        let log = SyncLog()
        var faults = FileSinkFaults()
        faults.fsync = { fd in
            log.record(fd)
            return fsync(fd) == 0 ? 0 : errno
        }
        let sink = RotatingGzipFileSink(
            configuration: .init(
                directory: directory, fileName: "app", rotateBytes: 4096, rotateInterval: .none, retainFiles: 1000,
                flushIntervalMilliseconds: 60_000),
            clock: { RecordTime.now() }, faults: faults)
        defer { sink.shutdown() }
        // One batch that fills several files: each is closed by the member that reaches 4 KiB,
        // written without a sync.
        for seq in 0..<12 { Support.write(sink, #"{"seq":\#(seq),"pad":"\#(Support.incompressible(1200))"}"#) }
        #expect(sink.flush(fsync: true) == .completed)
        let files = Support.logFiles(directory)
        #expect(files.count >= 3)
        for file in files {
            let size = try #require(FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
            #expect(log.synced(file, size: size), "\(file) was not synced at its final size \(size): \(log.syncs.withLock { $0 })")
        }
        #expect(log.synced(directory, size: nil), "the directory (the new names) was synced")
        #expect(try files.flatMap { try Support.records($0) }.compactMap { $0["seq"] as? Int } == Array(0..<12))
    }
}
#endif
