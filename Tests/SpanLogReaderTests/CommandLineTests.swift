import Foundation
import SpanLogReader
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `spanlog` binary built by `swift build`.
enum SpanLogBinary {
    static var url: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/spanlog")
    }

    struct Result {
        var status: Int32
        var output: String
        var error: String
        /// The raw bytes of stdout.
        var outputBytes = Data()
        /// Killed for running past its deadline.
        var timedOut = false
        /// Ended by a signal (a trap, or the deadline's SIGKILL) rather than an exit.
        var signalled = false
    }

    /// Runs the binary; it is killed (SIGKILL) when it runs longer than `timeout` seconds.
    static func run(_ arguments: [String], directory: String? = nil, timeout: Double = 60) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: self.url.path) else {
            throw BinaryMissing(path: self.url.path)
        }
        let process = Process()
        process.executableURL = self.url
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let timedOut = Atomic<Bool>(false)
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem {
            timedOut.store(true, ordering: .relaxed)
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let errorData = Mutex(Data())
        let errorDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = error.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
            errorDone.signal()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        errorDone.wait()
        process.waitUntilExit()
        watchdog.cancel()
        let stderrBytes = errorData.withLock { $0 }
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      error: String(decoding: stderrBytes, as: UTF8.self), outputBytes: outputData,
                      timedOut: timedOut.load(ordering: .relaxed), signalled: process.terminationReason == .uncaughtSignal)
    }

    /// The binary running in the background (`tail -f`), its stdout collected as it comes;
    /// ``stop()`` kills it.
    final class Running {
        private let process = Process()
        private let pipe = Pipe()
        private let buffer = CollectedBytes()

        /// Bytes appended from another thread.
        final class CollectedBytes: Sendable {
            let data = Mutex(Data())
        }

        init(_ arguments: [String]) throws {
            guard FileManager.default.isExecutableFile(atPath: SpanLogBinary.url.path) else {
                throw BinaryMissing(path: SpanLogBinary.url.path)
            }
            self.process.executableURL = SpanLogBinary.url
            self.process.arguments = arguments
            self.process.standardOutput = self.pipe
            // Not the test runner's stderr: a child that outlived a crashed test must not hold
            // the runner's pipe open (and it ends by itself once its stdout reader is gone).
            self.process.standardError = FileHandle.nullDevice
            let buffer = self.buffer
            self.pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                buffer.data.withLock { $0.append(data) }
            }
            try self.process.run()
        }

        /// Everything printed so far.
        var output: String { String(decoding: self.buffer.data.withLock { $0 }, as: UTF8.self) }
        var lines: [String] { self.output.split(separator: "\n").map(String.init) }

        /// Waits until `count` lines were printed, at most `timeout` seconds.
        func waitFor(lines count: Int, timeout: Double = 5) {
            let deadline = Date().addingTimeInterval(timeout)
            while self.lines.count < count, Date() < deadline { usleep(10_000) }
        }

        func stop() {
            // The test runner blocks SIGTERM in the threads that spawn children, and the child
            // inherits the mask: only SIGKILL is sure to end it.
            kill(self.process.processIdentifier, SIGKILL)
            self.process.waitUntilExit()
            self.pipe.fileHandleForReading.readabilityHandler = nil
        }
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "the spanlog binary is missing at \(self.path): run `swift build` before `swift test`" }
    }
}

@Suite("the spanlog command: output and exit codes")
struct CommandLineTests {
    @Test("grep: found → 0 with the original lines in order, none → 1, the default path is the current directory")
    func grepExitCodes() throws {
        let set = try GrepTests.makeRotatedSet()
        let found = try SpanLogBinary.run(["grep", set.traceA, set.directory.path])
        #expect(found.status == 0, "\(found.error)")
        #expect(found.output.split(separator: "\n").map(String.init) == set.expected)
        #expect(found.error.isEmpty)

        let defaultPath = try SpanLogBinary.run(["grep", set.traceA.uppercased()], directory: set.directory.path)
        #expect(defaultPath.status == 0)
        #expect(defaultPath.output == found.output)

        let none = try SpanLogBinary.run(["grep", randomHex(32), set.directory.path])
        #expect(none.status == 1)
        #expect(none.output.isEmpty)

        let filtered = try SpanLogBinary.run(["grep", set.traceA, set.directory.path, "--level", "error", "--span", set.spanChild, "--field", "n=20", "--pretty"])
        #expect(filtered.status == 0)
        #expect(filtered.output.split(separator: "\n").count == 1)
        #expect(filtered.output.contains("ERROR api: step 20 n=20"))

        let regex = try SpanLogBinary.run(["grep", set.traceA, set.directory.path, "--message", "^step [0-9]5$", "--regex"])
        #expect(regex.output.split(separator: "\n").count == 7)
    }

    @Test("bad input: one clear line on stderr, exit 2, no stack trace", arguments: [
        (["grep", "not-a-trace"], "is not a trace id"),
        (["grep", "4bf92f3577b34da6a3ce929d0e0e4736", "/nonexistent/spanlog"], "no such file or directory"),
        (["grep", "4bf92f3577b34da6a3ce929d0e0e4736", ".", "--level", "loud"], "is not a level"),
        (["grep", "4bf92f3577b34da6a3ce929d0e0e4736", ".", "--since", "yesterday"], "--since"),
        (["grep", "4bf92f3577b34da6a3ce929d0e0e4736", ".", "--field", "novalue"], "key=value"),
        (["grep", "4bf92f3577b34da6a3ce929d0e0e4736", ".", "--message", "(", "--regex"], "regular expression"),
        (["trace", "xyz"], "is not a trace id"),
        (["tail", "/nonexistent/spanlog"], "no such file or directory"),
        (["stats", "/nonexistent/spanlog"], "no such file or directory"),
        (["frobnicate"], "Unexpected argument"),
    ])
    func badInput(_ arguments: [String], _ expected: String) throws {
        let result = try SpanLogBinary.run(arguments)
        #expect(result.status == 2)
        #expect(result.error.hasPrefix("spanlog: "))
        #expect(result.error.contains(expected), "\(result.error)")
        #expect(!result.error.contains("Fatal error"))
    }

    @Test("a binary file: reported, exit 2; damaged gzip: warned, records still found, exit 0")
    func damagedInputs() throws {
        let directory = try TemporaryDirectory()
        let trace = randomHex(32)
        let line = logRecord(at: TraceFixture.base, message: "kept", trace: trace, span: nil)
        try directory.write("garbage.log", (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 1) })
        let binary = try SpanLogBinary.run(["grep", trace, directory.file("garbage.log")])
        #expect(binary.status == 2)
        #expect(binary.error.contains("garbage.log"))
        #expect(binary.error.split(separator: "\n").count == 1)

        let member = gzipMember(line + "\n")
        try directory.write(rotatedName(0), member + member.prefix(20))
        let torn = try SpanLogBinary.run(["grep", trace, directory.file(rotatedName(0))])
        #expect(torn.status == 0)
        #expect(torn.output == line + "\n")
        #expect(torn.error.contains("offset \(member.count): truncated gzip member"))
    }

    @Test("trace: waterfall on stdout, --html writes the page; an unknown trace exits 1")
    func trace() throws {
        let fixture = TraceFixture()
        let directory = try TemporaryDirectory()
        try fixture.write(to: directory)
        let page = directory.file("trace.html")
        let result = try SpanLogBinary.run(["trace", fixture.trace, directory.path, "--html", page])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("http.server"))
        #expect(result.output.contains("(unfinished span)"))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(try HTMLCheck.run(html).errors.isEmpty)
        #expect(html.contains("remote.callback"))
        let missing = try SpanLogBinary.run(["trace", randomHex(32), directory.path])
        #expect(missing.status == 1)
    }

    @Test("stats --json and tail")
    func statsAndTail() throws {
        let fixture = TraceFixture()
        let directory = try TemporaryDirectory()
        try fixture.write(to: directory)
        let stats = try SpanLogBinary.run(["stats", directory.path, "--json"])
        #expect(stats.status == 0)
        let json = try JSONParser.parse(stats.output)
        #expect(json["spans"]?.int64 == 5)
        #expect(json["traces_with_errors"]?.int64 == 1)
        let tail = try SpanLogBinary.run(["tail", "-n", "2", directory.path])
        #expect(tail.status == 0)
        #expect(tail.output.split(separator: "\n").map(String.init) == Array(fixture.lines.suffix(2)))
        let empty = try TemporaryDirectory()
        #expect(try SpanLogBinary.run(["stats", empty.path]).status == 1)
    }

    @Test("tail -f ends by itself when its reader goes away, even while nothing is written")
    func tailEndsWithoutReader() throws {
        let directory = try TemporaryDirectory()
        try directory.write(rotatedName(0), gzipMember(logRecord(at: TraceFixture.base, message: "m", trace: randomHex(32), span: nil) + "\n"))
        let process = Process()
        process.executableURL = SpanLogBinary.url
        process.arguments = ["tail", "-f", "--interval", "20", directory.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = output.fileHandleForReading.availableData   // the first record: it is running
        try output.fileHandleForReading.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        let ended = !process.isRunning
        if !ended { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(ended, "spanlog tail -f kept running with nobody reading its output")
    }

    @Test("tail -f follows new members and a rotation")
    func tailFollow() throws {
        let directory = try TemporaryDirectory()
        let trace = randomHex(32)
        func line(_ index: Int) -> String { logRecord(at: TraceFixture.base + Int64(index), message: "m\(index)", trace: trace, span: nil) }
        try directory.write(rotatedName(0), gzipMember(line(0) + "\n"))
        let tail = try SpanLogBinary.Running(["tail", "-f", "--interval", "20", directory.path])
        defer { tail.stop() }
        var received: String { tail.output }
        func waitFor(_ count: Int) { tail.waitFor(lines: count) }
        waitFor(1)
        try directory.append(rotatedName(0), gzipMember(line(1) + "\n"))
        waitFor(2)
        try directory.write(rotatedName(1), gzipMember(line(2) + "\n"))
        waitFor(3)
        #expect(received.split(separator: "\n").map(String.init) == [line(0), line(1), line(2)])
    }
}
