#if DEBUG
import Foundation
@testable import SpanLog
import Testing

private typealias Support = FileSinkTestSupport

/// The file sink's pieces with logic of their own, one at a time: retention, claiming a free
/// name, outage backoff and member framing.
@Suite("RotatingGzipFileSink's parts")
struct RotatingGzipFileSinkPartsTests {
    private static let day: UInt64 = 86_400
    private static let start: UInt64 = 1_764_064_800  // 2025-11-25T10:00:00Z

    private func name(_ seconds: UInt64, _ sequence: Int = 1) -> LogFileName {
        LogFileName(seconds: seconds, sequence: sequence)
    }

    private func time(_ seconds: UInt64) -> RecordTime {
        RecordTime(nanosecondsSinceEpoch: Int64(seconds) * 1_000_000_000)
    }

    @Test("retention by count deletes the oldest first and never the active file")
    func retentionByCount() {
        let files = (0..<5).map { self.name(Self.start + UInt64($0) * 60) }
        let retention = RetentionPolicy(retainFiles: 3, retainDays: nil)
        #expect(retention.expiredFiles(files.shuffled(), active: files[4], now: self.time(Self.start)) == [files[0], files[1]])
        #expect(retention.expiredFiles(files, active: files[0], now: self.time(Self.start)) == [files[1], files[2]])
        #expect(RetentionPolicy(retainFiles: 1, retainDays: nil).expiredFiles(files, active: files[0], now: self.time(Self.start))
            == Array(files[1...]))
        #expect(RetentionPolicy(retainFiles: 5, retainDays: nil).expiredFiles(files, active: files[4], now: self.time(Self.start)).isEmpty)
    }

    @Test("retention by age: a file ends when the next starts, and goes once that is more than the days ago")
    func retentionByAge() {
        let files = [self.name(Self.start), self.name(Self.start + 14 * 3600), self.name(Self.start + 38 * 3600)]
        let retention = RetentionPolicy(retainFiles: 100, retainDays: 1)
        let firstEnded = Self.start + 14 * 3600
        #expect(retention.expiredFiles(files, active: files[2], now: self.time(firstEnded + Self.day)).isEmpty, "exactly a day")
        #expect(retention.expiredFiles(files, active: files[2], now: self.time(firstEnded + Self.day + 1)) == [files[0]])
        #expect(retention.expiredFiles(files, active: files[2], now: self.time(files[2].seconds + Self.day + 1)) == [files[0], files[1]])
        #expect(retention.expiredFiles(files, active: files[0], now: self.time(Self.start + 100 * Self.day)) == [files[1]],
                "the active file stays, whatever its age")
        #expect(RetentionPolicy(retainFiles: 100, retainDays: .max).expiredFiles(files, active: files[2], now: self.time(Self.start + 100 * Self.day)).isEmpty,
                "an age too large to count in seconds deletes nothing")
        #expect(RetentionPolicy(retainFiles: 2, retainDays: 1).expiredFiles(files, active: files[2], now: self.time(files[2].seconds + Self.day + 1))
            == [files[0], files[1]], "count first, then age")
    }

    @Test("claiming a name skips taken names and symlinks, and stops at a failure or after 100 names")
    func claimingAName() throws {
        let path = try Support.makeTemporaryDirectory("claim")
        defer { Support.removeTree(path) }
        let directory = LogDirectory(path: path, base: "app")
        let first = self.name(Self.start)
        for sequence in 1...2 {
            _ = FileManager.default.createFile(atPath: directory.path(of: self.name(Self.start, sequence).fileName(base: "app")), contents: Data())
        }
        let symlink = directory.path(of: self.name(Self.start, 3).fileName(base: "app"))
        try FileManager.default.createSymbolicLink(atPath: symlink, withDestinationPath: path + "/elsewhere")

        var tried: [String] = []
        let claim = directory.claimName(startingAt: first, startedAt: self.time(Self.start)) { path in
            tried.append(path)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o640)
            if fd < 0 { return errno == EEXIST ? .taken : .failed(errno) }
            close(fd)
            return .claimed
        }
        guard case .claimed(let claimed) = claim else { Issue.record("no name claimed: \(claim)"); return }
        #expect(claimed.name == self.name(Self.start, 4))
        #expect(claimed.fileName == "app-20251125T100000Z-0004.jsonl.gz")
        #expect(claimed.path == path + "/" + claimed.fileName)
        #expect(tried == (1...4).map { directory.path(of: self.name(Self.start, $0).fileName(base: "app")) })
        #expect(!FileManager.default.fileExists(atPath: path + "/elsewhere"), "nothing written through the symlink")

        let failed = directory.claimName(startingAt: first, startedAt: self.time(Self.start)) { _ in .failed(EACCES) }
        guard case .failed(let failedPath, let code) = failed else { Issue.record("expected a failure: \(failed)"); return }
        #expect(failedPath == directory.path(of: first.fileName(base: "app")) && code == EACCES)

        var attempts = 0
        let exhausted = directory.claimName(startingAt: self.name(Self.start, 9999), startedAt: self.time(Self.start)) { path in
            attempts += 1
            if attempts == 2 { #expect(path.hasSuffix("app-20251125T100001Z-0001.jsonl.gz"), "the next second after 9999") }
            return .taken
        }
        guard case .noFreeName = exhausted else { Issue.record("expected no free name: \(exhausted)"); return }
        #expect(attempts == LogDirectory.nameAttempts && attempts == 100)
    }

    @Test("an outage backs off from 25 ms, doubling to 1 s, and reports its length in seconds")
    func outageBackoff() {
        var outage = WriteOutage(error: "disk full", since: self.time(Self.start), now: 1_000)
        #expect(outage.nextAttempt == 1_000 + 25_000_000)
        #expect(outage.limitEnds(after: 10_000_000_000) == 10_000_001_000)
        var waits: [UInt64] = []
        for attempt in 1...8 {
            outage.attemptFailed(now: UInt64(attempt) * 1_000_000_000)
            waits.append(outage.nextAttempt - UInt64(attempt) * 1_000_000_000)
        }
        #expect(waits == [50, 100, 200, 400, 800, 1000, 1000, 1000].map { UInt64($0) * 1_000_000 })
        #expect(WriteOutage.decimalSeconds(2_050_000_000) == "2.050")
        #expect(WriteOutage.decimalSeconds(5_900_000) == "0.005")
        #expect(WriteOutage.decimalSeconds(123_400_000_000) == "123.400")
    }

    @Test("pending members: whole gzip members, records counted, digests only with the index", arguments: [false, true])
    func pendingMembers(indexes: Bool) throws {
        var members = PendingMembers(gzipLevel: 1, indexesRecords: indexes)
        #expect(members.memberStarted == nil && !members.hasMemberData)
        let first = Array(#"{"n":1}"#.utf8 + [10] + #"{"n":2}"#.utf8 + [10])
        first.withUnsafeBytes { members.compress($0) }
        #expect(members.memberStarted != nil && members.memberRecords == 2 && members.memberInputBytes == first.count)
        members.endMember()
        #expect(members.memberStarted == nil && members.records == 2 && members.memberRecords == 0)
        members.endMember()  // an empty member adds nothing
        Array(#"{"n":3}"#.utf8 + [10]).withUnsafeBytes { members.compress($0) }
        members.endMember()
        #expect(members.records == 3)
        #expect(members.members.count == (indexes ? 2 : 0))
        if indexes {
            #expect(members.members.map(\.compressedLength).reduce(0, +) == UInt64(members.bytes.count))
            #expect(members.members.map(\.digest.records) == [2, 1])
        }
        let directory = try Support.makeTemporaryDirectory("members")
        defer { Support.removeTree(directory) }
        let file = directory + "/members.gz"
        try Data(members.bytes).write(to: URL(fileURLWithPath: file))
        #expect(try Support.zcat(file) == "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
        members.removeWritten()
        #expect(members.bytes.isEmpty && members.records == 0 && members.members.isEmpty)
    }
}
#endif
