import Foundation
import PythonPeers
import Testing

/// The Python OTLP receiver (`Receiver/otlp_receiver.py`) as a child process on 127.0.0.1: it
/// decodes requests with the official `opentelemetry-proto` classes and writes what it decoded as
/// JSON lines, which ``requests()`` reads back. Every instance is stopped by PID in ``stop()``.
///
/// Its packages come from ``PythonPeers`` (provisioned on first use); when they cannot be had the
/// test fails with a message naming the cause, unless `SPANLOG_SKIP_PYTHON_PEERS=1`, in which
/// case ``start(_:)`` returns `nil` and the test returns.
final class ReceiverProcess: @unchecked Sendable {
    /// Fault modes of the receiver.
    struct Options {
        var mode = "ok"
        var fail = 0
        var failStatus = 503
        /// `Retry-After` text sent with the failures (gRPC: RetryInfo seconds, so an integer).
        var retryAfter: String?
        /// Sends the `Retry-After` header on successful HTTP replies too.
        var retryAfterAlways = false
        var httpPort = 0
        var grpcPort = 0
        /// Serves TLS (HTTP and gRPC) with this certificate and key (PEM paths).
        var tlsCertificate: String?
        var tlsKey: String?
        /// Requires a client certificate signed by this CA (mTLS).
        var tlsClientCA: String?
        /// Refuses requests without `authorization: Bearer <token>` (401 / UNAUTHENTICATED).
        var authToken: String?
        /// Answers a partial success with this many rejected items and this message.
        var partialReject = 0
        var partialMessage = ""
    }

    let httpPort: Int
    let grpcPort: Int
    let directory: URL
    private let process: Process
    private let input: Pipe
    private let outputFile: URL

    private init(process: Process, input: Pipe, directory: URL, outputFile: URL, httpPort: Int, grpcPort: Int) {
        self.process = process
        self.input = input
        self.directory = directory
        self.outputFile = outputFile
        self.httpPort = httpPort
        self.grpcPort = grpcPort
    }

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Receiver/otlp_receiver.py").path
    }

    /// Starts a receiver, or returns `nil` when Python peers are skipped on purpose.
    static func start(_ options: Options = Options(), directory existing: URL? = nil) async throws -> ReceiverProcess? {
        guard let python = try await PythonPeers.interpreter() else { return nil }
        let directory = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("spanlog-otlp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let outputFile = directory.appendingPathComponent("requests.jsonl")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        var arguments = [scriptPath, "--out", outputFile.path, "--mode", options.mode,
                         "--fail", String(options.fail), "--fail-status", String(options.failStatus),
                         "--http-port", String(options.httpPort), "--grpc-port", String(options.grpcPort),
                         "--max-seconds", "120"]
        if let retryAfter = options.retryAfter { arguments += ["--retry-after", retryAfter] }
        if options.retryAfterAlways { arguments.append("--retry-after-always") }
        if let certificate = options.tlsCertificate, let key = options.tlsKey { arguments += ["--tls-cert", certificate, "--tls-key", key] }
        if let clientCA = options.tlsClientCA { arguments += ["--tls-client-ca", clientCA] }
        if let token = options.authToken { arguments += ["--auth-token", token] }
        if options.partialReject > 0 { arguments += ["--partial-reject", String(options.partialReject), "--partial-message", options.partialMessage] }
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        let errors = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        do {
            try process.run()
        } catch {
            if existing == nil { try? FileManager.default.removeItem(at: directory) }
            throw ReceiverError("cannot run \(python) (\(error)), or set SPANLOG_SKIP_PYTHON_PEERS=1 to skip these tests")
        }
        // The first stdout line names the ports; wait at most 20 s for it.
        let firstLine = readLine(from: output.fileHandleForReading, timeout: 20)
        guard let line = firstLine,
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let http = object["http_port"] as? Int, let grpc = object["grpc_port"] as? Int
        else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            if existing == nil { try? FileManager.default.removeItem(at: directory) }
            throw ReceiverError("the OTLP test receiver did not start. Its error output:\n\(stderr)\n(its interpreter: \(python)), or set SPANLOG_SKIP_PYTHON_PEERS=1 to skip these tests")
        }
        return ReceiverProcess(process: process, input: input, directory: directory, outputFile: outputFile, httpPort: http, grpcPort: grpc)
    }

    /// The requests decoded so far, one object per request.
    func requests() -> [[String: Any]] {
        guard let text = try? String(contentsOf: self.outputFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Waits (at most `timeout` seconds) until `condition` holds for the decoded requests.
    func waitFor(timeout: Double = 15, _ condition: ([[String: Any]]) -> Bool) async -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let requests = self.requests()
            if condition(requests) { return requests }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return self.requests()
    }

    /// Stops the process (SIGTERM, then SIGKILL after a second) by its PID.
    func stop(removeDirectory: Bool = true) {
        try? self.input.fileHandleForWriting.close()
        let pid = self.process.processIdentifier
        if self.process.isRunning { kill(pid, SIGTERM) }
        let deadline = Date().addingTimeInterval(1)
        while self.process.isRunning && Date() < deadline { usleep(10_000) }
        if self.process.isRunning { kill(pid, SIGKILL) }
        self.process.waitUntilExit()
        if removeDirectory { try? FileManager.default.removeItem(at: self.directory) }
    }

    private static func readLine(from handle: FileHandle, timeout: Double) -> String? {
        let result = LineBox()
        let thread = Thread {
            var bytes: [UInt8] = []
            while true {
                let chunk = handle.readData(ofLength: 1)
                guard let byte = chunk.first else { break }
                if byte == UInt8(ascii: "\n") { break }
                bytes.append(byte)
            }
            result.set(String(decoding: bytes, as: UTF8.self))
        }
        thread.start()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = result.get() { return line }
            usleep(10_000)
        }
        return nil
    }
}

private final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ line: String) { self.lock.withLock { self.value = line } }
    func get() -> String? { self.lock.withLock { self.value } }
}

struct ReceiverError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Spans of all decoded trace requests, flattened, with their resource attributes.
func decodedSpans(_ requests: [[String: Any]]) -> [(span: [String: Any], resource: [String: Any], scope: [String: Any])] {
    var result: [(span: [String: Any], resource: [String: Any], scope: [String: Any])] = []
    for request in requests where request["signal"] as? String == "traces" {
        let body = request["request"] as? [String: Any] ?? [:]
        for resourceSpans in body["resourceSpans"] as? [[String: Any]] ?? [] {
            let resource = resourceSpans["resource"] as? [String: Any] ?? [:]
            for scopeSpans in resourceSpans["scopeSpans"] as? [[String: Any]] ?? [] {
                let scope = scopeSpans["scope"] as? [String: Any] ?? [:]
                for span in scopeSpans["spans"] as? [[String: Any]] ?? [] {
                    result.append((span, resource, scope))
                }
            }
        }
    }
    return result
}

/// Log records of all decoded log requests, flattened, with their resource.
func decodedLogRecords(_ requests: [[String: Any]]) -> [(record: [String: Any], resource: [String: Any])] {
    var result: [(record: [String: Any], resource: [String: Any])] = []
    for request in requests where request["signal"] as? String == "logs" {
        let body = request["request"] as? [String: Any] ?? [:]
        for resourceLogs in body["resourceLogs"] as? [[String: Any]] ?? [] {
            let resource = resourceLogs["resource"] as? [String: Any] ?? [:]
            for scopeLogs in resourceLogs["scopeLogs"] as? [[String: Any]] ?? [] {
                for record in scopeLogs["logRecords"] as? [[String: Any]] ?? [] {
                    result.append((record, resource))
                }
            }
        }
    }
    return result
}

/// `[{"key":…,"value":{…}}]` as a dictionary from key to the value object.
func attributeMap(_ object: [String: Any]) -> [String: [String: Any]] {
    var map: [String: [String: Any]] = [:]
    for item in object["attributes"] as? [[String: Any]] ?? [] {
        if let key = item["key"] as? String { map[key] = item["value"] as? [String: Any] ?? [:] }
    }
    return map
}
