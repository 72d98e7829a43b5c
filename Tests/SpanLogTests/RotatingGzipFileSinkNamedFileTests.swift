#if DEBUG
import Foundation
@testable import SpanLog
import Testing

private typealias Support = FileSinkTestSupport

/// Where `O_TMPFILE` (or `/proc`) is missing, new files are created under their final name
/// (`O_CREAT|O_EXCL|O_NOFOLLOW`) before their first write. The same guarantees hold there.
@Suite("RotatingGzipFileSink with named-file creation", .serialized)
struct RotatingGzipFileSinkNamedFileTests {
    private func configuration(_ directory: String, rotateBytes: Int = 64 << 20) -> RotatingGzipFileSink.Configuration {
        var configuration = RotatingGzipFileSink.Configuration(
            directory: directory, fileName: "app", rotateBytes: rotateBytes, rotateInterval: .none,
            retainFiles: 100_000, flushIntervalMilliseconds: 20)
        configuration.usesUnnamedFiles = false
        return configuration
    }

    @Test("rotation, restart and symlink refusal", .timeLimit(.minutes(1)))
    func rotationRestartAndSymlink() throws {
        let directory = try Support.makeTemporaryDirectory("named")
        defer { Support.removeTree(directory) }
        let clock = ManualClock("2026-11-25T15:04:05Z")
        let target = directory + "-target"
        _ = FileManager.default.createFile(atPath: target, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: target) }

        let first = RotatingGzipFileSink(configuration: self.configuration(directory, rotateBytes: 4096), clock: { clock.now() })
        for seq in 0..<5000 { Support.write(first, #"{"seq":\#(seq),"text":"named \#(seq * 7919 % 10007)"}"#) }
        first.shutdown()
        let rotated = Support.logFiles(directory)
        #expect(rotated.count >= 5)
        let before = try rotated.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }

        // A symlink planted under the next name is skipped, not written through.
        let next = String(format: "%@/app-20261125T150405Z-%04d.jsonl.gz", directory, rotated.count + 1)
        try FileManager.default.createSymbolicLink(atPath: next, withDestinationPath: target)
        let second = RotatingGzipFileSink(configuration: self.configuration(directory), clock: { clock.now() })
        Support.write(second, #"{"seq":5000}"#)
        second.shutdown()
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
        #expect(try rotated.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before)

        var seqs: [Int] = []
        for file in Support.logFiles(directory) where (try? FileManager.default.destinationOfSymbolicLink(atPath: file)) == nil {
            #expect(try Support.gzipTest(file))
            seqs += try Support.records(file).compactMap { $0["seq"] as? Int }
        }
        #expect(seqs == Array(0...5000))
    }

    @Test("a deleted directory is recreated", .timeLimit(.minutes(1)))
    func deletedDirectory() throws {
        let parent = try Support.makeTemporaryDirectory("named-deleted")
        defer { Support.removeTree(parent) }
        let directory = parent + "/logs"
        let sink = RotatingGzipFileSink(configuration: self.configuration(directory))
        defer { sink.shutdown() }
        Support.write(sink, #"{"message":"before"}"#)
        sink.flush()
        try FileManager.default.removeItem(atPath: directory)
        for index in 0..<10 { Support.write(sink, #"{"message":"after \#(index)"}"#) }
        sink.flush()
        let messages = try Support.logFiles(directory).flatMap { try Support.records($0) }.compactMap { $0["message"] as? String }
        #expect(messages.filter { $0.hasPrefix("after ") } == (0..<10).map { "after \($0)" })
        #expect(messages.contains { $0.contains("was deleted while open") })
    }
}
#endif
