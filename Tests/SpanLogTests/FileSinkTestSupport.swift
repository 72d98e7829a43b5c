import Foundation
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
