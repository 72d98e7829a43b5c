import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the built `spanlog-demo` as a child process (it bootstraps the real process-wide
/// logging, tracing and metrics systems, which tests must not do in-process).
@Suite("spanlog-demo", .timeLimit(.minutes(3)))
struct DemoTests {
    @Test("the demo runs to completion, prints the failing trace and leaves valid gzip files")
    func demoRunsToCompletion() async throws {
        let demo = TestPaths.productsDirectory + "/spanlog-demo"
        try #require(FileManager.default.isExecutableFile(atPath: demo), "build the demo first: swift build --product spanlog-demo (looked for \(demo))")
        let workingDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("spanlog-demo-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: workingDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: workingDirectory) }

        // A fresh machine: none of SpanLog's variables set.
        var environment: [String: String] = [:]
        for key in ["PATH", "HOME", "LANG"] { environment[key] = ProcessInfo.processInfo.environment[key] }
        let result = try await Subprocess.run(demo, [], environment: environment, workingDirectory: workingDirectory, timeout: .seconds(90))
        #expect(!result.timedOut)
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let output = result.standardOutput
        #expect(output.contains("GET /fail"))
        let traceLine = try #require(output.split(separator: "\n").first { $0.hasPrefix("  swift run spanlog trace ") })
        let traceID = String(traceLine.split(separator: " ")[4])
        #expect(traceID.count == 32 && traceID.allSatisfy(\.isHexDigit))
        #expect(output.contains("trace \(traceID)"))
        // The waterfall's root span line, as SpanLogReader's WaterfallRenderer draws it.
        #expect(output.split(separator: "\n").contains { $0.hasPrefix("http.server ") && $0.contains("│") })
        #expect(output.contains("inventory.reserve"))
        #expect(output.contains("ERROR"))
        #expect(output.contains("spanlog grep \(traceID) spanlog-demo-logs"))
        // /metrics, as the demo prints it: requests by route template, job runs, external calls.
        #expect(output.contains("http_server_requests_total{method=\"GET\",route=\"/users/{id}\",status_class=\"2xx\"} 2"))
        #expect(output.contains("http_server_requests_total{method=\"GET\",route=\"/fail\",status_class=\"5xx\"} 1"))
        #expect(output.contains("job_runs_total{queue=\"demo\",job_type=\"reindex\",success=\"true\"} 1"))
        #expect(output.contains("external_api_calls_total{service=\"users-api\",operation=\"get_user\",success=\"true\"} 1"))

        let logs = workingDirectory + "/spanlog-demo-logs"
        let files = try FileManager.default.contentsOfDirectory(atPath: logs).filter { $0.hasSuffix(".jsonl.gz") }
        #expect(!files.isEmpty)
        for file in files {
            let gzip = try await Subprocess.run("/usr/bin/env", ["gzip", "-t", logs + "/" + file], timeout: .seconds(30))
            #expect(gzip.status == 0, "\(file): \(gzip.standardError)")
        }
        let all = try await Subprocess.run("/bin/sh", ["-c", "zcat \(logs)/*.jsonl.gz"], timeout: .seconds(30))
        let lines = all.standardOutput.split(separator: "\n")
        #expect(lines.contains { $0.contains("\"name\":\"job.run\"") })
        #expect(lines.contains { $0.contains("\"name\":\"external.api.call\"") })
        #expect(lines.contains { $0.contains("\"http.route\":\"/users/{id}\"") })
    }

    @Test("--serve runs until SIGTERM, then flushes and exits 0")
    func demoServeStopsOnSIGTERM() async throws {
        let demo = TestPaths.productsDirectory + "/spanlog-demo"
        try #require(FileManager.default.isExecutableFile(atPath: demo), "build the demo first (looked for \(demo))")
        let workingDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("spanlog-demo-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: workingDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: workingDirectory) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: demo)
        process.arguments = ["--serve"]
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        var environment: [String: String] = [:]
        for key in ["PATH", "HOME", "LANG"] { environment[key] = ProcessInfo.processInfo.environment[key] }
        environment["LOG_FORMAT"] = "json"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        defer { if process.isRunning { kill(pid, SIGKILL); process.waitUntilExit() } }

        // Wait for the "serving on" line, then stop it. A watchdog kills the child if it stays
        // silent, which ends the blocking read below.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(30))
            kill(pid, SIGKILL)
        }
        defer { watchdog.cancel() }
        var seen = ""
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while !seen.contains("serving on http://127.0.0.1:") && clock.now < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        try #require(seen.contains("serving on http://127.0.0.1:"), "no serving line: \(seen)")
        kill(pid, SIGTERM)
        let stopDeadline = clock.now + .seconds(20)
        while process.isRunning && clock.now < stopDeadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "still running 20 s after SIGTERM")
        if !process.isRunning {
            #expect(process.terminationStatus == 0)
            #expect(process.terminationReason == .exit)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: workingDirectory + "/spanlog-demo-logs")
        #expect(files.contains { $0.hasSuffix(".jsonl.gz") })
    }
}
