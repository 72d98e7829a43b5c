import Foundation
@testable import SpanLogReader
import SpanLogFormat
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("the index's temporary file: created exclusively, never written through, cleaned after a crash")
struct IndexTemporaryFileTests {
    /// A pid that is certainly not running: a child that has exited and been reaped.
    static func deadPID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let pid = process.processIdentifier
        #expect(kill(pid, 0) != 0 && errno == ESRCH)
        return pid
    }

    static func backdate(_ path: String, seconds: Double) throws {
        // Not through a symlink: the link's own time is what the cleaner looks at.
        var times = [timespec(tv_sec: Int(Date().timeIntervalSince1970 - seconds), tv_nsec: 0),
                     timespec(tv_sec: Int(Date().timeIntervalSince1970 - seconds), tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0)
    }

    @Test("a symlink or hard link planted at the temporary name is not written through; the index is still written", arguments: [false, true])
    func plantedLinkIsNotFollowed(hardLink: Bool) throws {
        let log = try IndexedLog()
        let original = try Data(contentsOf: URL(fileURLWithPath: log.indexPath))
        try FileManager.default.removeItem(atPath: log.indexPath)
        let victim = log.directory.file("victim.txt")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
        let temporary = TraceIndexFile.temporaryPath(forIndex: log.indexPath)
        #expect(temporary == log.indexPath + ".tmp-\(getpid())")
        if hardLink {
            #expect(link(victim, temporary) == 0)
        } else {
            #expect(symlink(victim, temporary) == 0)
        }
        let outcome = TraceIndexer.index(file: log.path, force: true, blockBytes: 1)
        #expect({ if case .written = outcome { return true } else { return false } }(), "\(outcome)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try Data(contentsOf: URL(fileURLWithPath: log.indexPath)) == original)
        var status = stat()
        #expect(lstat(temporary, &status) != 0, "the temporary name is gone after the rename")
        #expect(try FileManager.default.attributesOfItem(atPath: log.indexPath)[.type] as? FileAttributeType == .typeRegular)
    }

    @Test("writing an index removes temporary files of dead processes, keeps those of live ones and fresh ones")
    func staleTemporaryFilesAreRemoved() throws {
        let log = try IndexedLog()
        let dead = try Self.deadPID()
        let stale = log.indexPath + ".tmp-\(dead)"
        let staleLink = log.directory.file("other.jsonl.gz.idx.tmp-\(dead)")
        let fresh = log.directory.file("fresh.jsonl.gz.idx.tmp-\(dead)")
        let live = log.indexPath + ".tmp-1"   // init: alive, and not ours to signal
        let notOurs = log.directory.file("notes.tmp-\(dead)")
        for path in [stale, fresh, live, notOurs] { try Data("x".utf8).write(to: URL(fileURLWithPath: path)) }
        let target = log.directory.file("target.txt")
        try Data("kept".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink(target, staleLink) == 0)
        for path in [stale, staleLink, live, notOurs] { try Self.backdate(path, seconds: 3600) }

        // The file sink's path: an index is written.
        #expect(TraceIndexFile.store(try [UInt8](Data(contentsOf: URL(fileURLWithPath: log.indexPath))), forLogFile: log.path) == nil)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: log.directory.path))
        #expect(!names.contains((stale as NSString).lastPathComponent))
        #expect(!names.contains((staleLink as NSString).lastPathComponent))
        #expect(names.contains((fresh as NSString).lastPathComponent), "younger than a minute: its writer may live in another pid namespace")
        #expect(names.contains((live as NSString).lastPathComponent))
        #expect(names.contains((notOurs as NSString).lastPathComponent))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "kept")
    }

    @Test("spanlog index cleans stale temporary files even when every index is up to date; readers ignore them")
    func commandCleansAndReadersIgnore() throws {
        let log = try IndexedLog()
        let dead = try Self.deadPID()
        let stale = log.indexPath + ".tmp-\(dead)"
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: stale))
        try Self.backdate(stale, seconds: 3600)
        let files = LogFileSet(paths: [log.directory.path, stale, log.indexPath]).files
        #expect(files == [log.path], "only the log file is a log file: \(files)")

        let result = try SpanLogBinary.run(["index", log.directory.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("1 up to date"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: stale))
    }
}
