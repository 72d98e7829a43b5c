import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A program the tests drive from outside (Chromium, lnav), found on `PATH`.
///
/// `swift test` passes on a machine without them: a test that needs a missing tool is skipped
/// with a message naming it — unless `SPANLOG_REQUIRE_TOOLS=1` (set by `.ci/run`), when the test
/// runs and fails on the missing tool.
struct ExternalTool: Sendable {
    /// The names tried, first found wins (Debian's `chromium`, elsewhere `chromium-browser`).
    let names: [String]
    let package: String

    static let chromium = ExternalTool(names: ["chromium", "chromium-browser"], package: "chromium")
    static let lnav = ExternalTool(names: ["lnav"], package: "lnav")

    /// `SPANLOG_REQUIRE_TOOLS=1`: a missing tool fails its test instead of skipping it.
    static var required: Bool { ProcessInfo.processInfo.environment["SPANLOG_REQUIRE_TOOLS"] == "1" }

    /// The tool's path, or nil.
    var path: String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for name in self.names {
            for directory in directories {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Whether the test runs: the tool is there, or it is required (and its absence fails).
    var shouldRun: Bool { self.path != nil || Self.required }

    /// Why the test was skipped.
    var skipReason: String {
        "\(self.names[0]) not found on PATH: install it (apt-get install \(self.package)) or set SPANLOG_REQUIRE_TOOLS=1 to make its absence a failure"
    }

    /// How a run ended.
    struct Run {
        var status: Int32
        var output: String
        var error: String
        var timedOut: Bool
    }

    /// Runs `path` with `arguments`, stdout and stderr into files (so children the tool leaves
    /// behind cannot hold a pipe open), killed by its PID with SIGKILL after `timeout` seconds.
    static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:], in directory: String, timeout: Double) throws -> Run {
        let outputPath = "\(directory)/tool-stdout-\(UUID().uuidString)"
        let errorPath = "\(directory)/tool-stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            try? output.close()
            try? error.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let pid = process.processIdentifier
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                kill(pid, SIGKILL)
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return Run(status: process.terminationStatus, output: read(outputPath), error: read(errorPath), timedOut: timedOut)
    }
}
