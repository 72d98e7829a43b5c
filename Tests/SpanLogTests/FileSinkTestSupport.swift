import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SpanLog
import Synchronization
import Testing

/// Helpers for the rotating gzip file sink's tests: temp directories, real `gzip`, the child
/// process, a settable clock.
enum FileSinkTestSupport {
    /// A fresh directory under the system temp dir; remove it with `removeTree`.
    static func makeTemporaryDirectory(_ label: String) throws -> String {
        var folder = NSTemporaryDirectory()
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        var template = Array((folder + "/spanlog-\(label)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let made else { throw TestFailure("mkdtemp failed: errno \(errno)") }
        return String(cString: made)
    }

    static func removeTree(_ path: String) {
        // Make sure a test that chmod'ed or replaced things can still be cleaned up.
        _ = try? run("/bin/chmod", ["-R", "u+rwx", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The sink's files in `directory`, sorted by name (= time order).
    static func logFiles(_ directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".jsonl.gz") }.sorted().map { directory + "/" + $0 }
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion, killing it after `timeout` seconds.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while it runs so a chatty child cannot fill them and stall.
        let outData = PipeReader(out)
        let errData = PipeReader(err)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: outData.finish(), as: UTF8.self),
            stderr: String(decoding: errData.finish(), as: UTF8.self))
    }

    /// `gzip -t`: true when the file is a valid (multi-member) gzip file.
    static func gzipTest(_ path: String) throws -> Bool {
        try run("/usr/bin/env", ["gzip", "-t", path]).status == 0
    }

    /// The decompressed bytes of a file, read by the real `gzip -dc` (what `zcat` runs).
    static func zcat(_ path: String) throws -> String {
        let output = try run("/usr/bin/env", ["gzip", "-dc", path])
        guard output.status == 0 else { throw TestFailure("gzip -dc \(path) failed: \(output.stderr)") }
        return output.stdout
    }

    /// The lines of one file; each must parse as a JSON object and the file must end with a
    /// newline (no record split across files).
    static func records(_ path: String) throws -> [[String: Any]] {
        let text = try zcat(path)
        if text.isEmpty { return [] }
        guard text.hasSuffix("\n") else { throw TestFailure("\(path) does not end with a whole record") }
        var result: [[String: Any]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let dictionary = object as? [String: Any] else {
                throw TestFailure("not a JSON object in \(path): \(line)")
            }
            result.append(dictionary)
        }
        return result
    }

    /// Writes one record (a JSON object) to the sink.
    static func write(_ sink: RotatingGzipFileSink, _ json: String) {
        var bytes = Array(json.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { sink.write($0) }
    }

    /// The helper executable, built by `swift build` next to the test bundle.
    static func crashChildPath() throws -> String {
        let name = "SpanLogFileSinkCrashChild"
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL {
            // .build/<triple>/debug/swift-spanlogPackageTests.xctest (or a folder inside it)
            var folder = executable.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent(name).path)
                folder = folder.deletingLastPathComponent()
            }
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/\(name)").path)
        candidates.append(packageRoot.appendingPathComponent(".build/release/\(name)").path)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TestFailure("""
            \(name) was not found (looked in \(candidates.joined(separator: ", "))). \
            Build it first with `swift build` (the test cannot depend on an executable target).
            """)
    }

    /// True when the process can bypass file permissions (root), so chmod cannot fake a
    /// read-only directory.
    static var permissionsAreEnforced: Bool { geteuid() != 0 }

    /// Only root can mount a small tmpfs (a real file system that fills up).
    static var canMount: Bool { geteuid() == 0 }

    /// Mounts a tmpfs of `size` (`mount -t tmpfs -o size=…`) on the empty directory `path`;
    /// unmount it with `unmount`.
    static func mountTmpfs(_ path: String, size: String) throws {
        let output = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0755", "tmpfs", path], timeout: 20)
        guard output.status == 0 else { throw TestFailure("mount -t tmpfs on \(path) failed: \(output.stderr)") }
    }

    static func unmount(_ path: String) {
        _ = try? run("/bin/umount", ["-l", path], timeout: 20)
    }

    /// Fills the file system of `directory` with a file named `name`, to the last byte.
    static func fillDisk(_ directory: String, name: String = "filler") {
        let fd = open(directory + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0x5A, count: 64 * 1024)
        for size in [64 * 1024, 4096, 1] {
            while chunk.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress!, size) }) == size {}
        }
        chunk.removeAll()
    }

    /// Random bytes as hex: records that hardly compress, so files grow as fast as records come.
    static func incompressible(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// A child process whose output is read line by line while it runs.
    final class Child {
        let process = Process()
        private let output = Pipe()
        private let input = Pipe()
        private var buffer = Data()

        init(_ executable: String, _ arguments: [String]) throws {
            self.process.executableURL = URL(fileURLWithPath: executable)
            self.process.arguments = arguments
            self.process.standardOutput = self.output
            self.process.standardInput = self.input
            self.process.standardError = FileHandle.nullDevice
            try self.process.run()
        }

        /// Waits (at most `timeout` seconds) for a line of output starting with `prefix`.
        func waitForLine(_ prefix: String, timeout: TimeInterval = 30) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            let handle = self.output.fileHandleForReading
            while Date() < deadline {
                while let newline = self.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: self.buffer[self.buffer.startIndex..<newline], as: UTF8.self)
                    self.buffer.removeSubrange(self.buffer.startIndex...newline)
                    if line.hasPrefix(prefix) { return line }
                }
                let chunk = handle.availableData  // blocks until output or end of file
                if chunk.isEmpty { break }
                self.buffer.append(chunk)
            }
            throw TestFailure("the child did not say \(prefix) within \(timeout) s")
        }

        /// Closes the child's standard input (its signal to finish) and waits for it to exit.
        func finish(timeout: TimeInterval = 30) throws -> Int32 {
            try self.input.fileHandleForWriting.close()
            let deadline = Date().addingTimeInterval(timeout)
            while self.process.isRunning && Date() < deadline { usleep(5_000) }
            if self.process.isRunning {
                kill(self.process.processIdentifier)
                throw TestFailure("the child did not exit within \(timeout) s")
            }
            return self.process.terminationStatus
        }

        func kill(_ pid: Int32) {
            _ = Foundation.kill(pid, SIGKILL)
            self.process.waitUntilExit()
        }

        /// `kill -9`, then waits for it.
        func killNow() {
            self.kill(self.process.processIdentifier)
        }
    }
}

/// Drains a pipe on a background queue.
final class PipeReader: Sendable {
    private let data = Mutex(Data())
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        DispatchQueue.global().async {
            let bytes = handle.readDataToEndOfFile()
            self.data.withLock { $0 = bytes }
            self.done.signal()
        }
    }

    /// Waits (up to 5 s) for end of file and returns what was read.
    func finish() -> Data {
        _ = self.done.wait(timeout: .now() + 5)
        return self.data.withLock { $0 }
    }
}

/// A wall clock the test moves by hand.
final class ManualClock: Sendable {
    private let nanoseconds: Mutex<UInt64>

    init(_ text: String) {
        self.nanoseconds = Mutex(ManualClock.parse(text))
    }

    func set(_ text: String) { self.nanoseconds.withLock { $0 = ManualClock.parse(text) } }
    func now() -> RecordTime { RecordTime(clampingNanosecondsSinceEpoch: self.nanoseconds.withLock { $0 }) }

    /// `2026-11-25T10:15:00Z`.
    static func parse(_ text: String) -> UInt64 {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let date = formatter.date(from: text)!
        return UInt64(date.timeIntervalSince1970) * 1_000_000_000
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
