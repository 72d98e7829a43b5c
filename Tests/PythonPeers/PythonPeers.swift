import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Python interpreter that SpanLog's tests run their peers with: the OpenTelemetry Python
/// SDK (the reference for sampling and W3C propagation) and the OTLP test receiver.
///
/// `swift test` must pass on a machine that has nothing but Python 3, so the first test that asks
/// provisions the pinned packages of `requirements.txt` (beside this file) itself: one virtual
/// environment under the package's `.build/python-peers/`, named by a hash of the pins, created
/// once and shared by every test and every later run. Parallel tests wait for the one
/// provisioning in this process; parallel test processes wait for each other on a file lock.
///
/// A `python3` on `PATH` that already has every pin at its version (as `.ci/run` installs them)
/// is used as it is. `SPANLOG_PYTHON_PEERS=provision` ignores it and always uses the virtual
/// environment; `SPANLOG_SKIP_PYTHON_PEERS=1` skips the tests that need the peers.
///
/// ```swift
/// guard let python = try await PythonPeers.interpreter() else { return }   // skipped on purpose
/// let result = try await Subprocess.run(python, ["-c", "import opentelemetry.sdk"], timeout: .seconds(30))
/// ```
public enum PythonPeers {
    /// Why the peers cannot be had, with the cause (the failing step and its output).
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// True when `SPANLOG_SKIP_PYTHON_PEERS=1` asks to skip the tests that need the peers.
    public static var skipRequested: Bool {
        ProcessInfo.processInfo.environment["SPANLOG_SKIP_PYTHON_PEERS"] == "1"
    }

    /// The path of a Python interpreter with every pinned peer, provisioning them on first use;
    /// `nil` when ``skipRequested``. Throws ``Unavailable`` naming the cause when they cannot be had.
    public static func interpreter() async throws -> String? {
        if skipRequested { return nil }
        return try await Provisioning.shared.result().get()
    }

    /// The pinned requirements file every test and `.ci/run` install from.
    public static var requirementsPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("requirements.txt").path
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}

/// One provisioning per process, on a thread of its own (it waits for pip for up to minutes;
/// the cooperative pool must not), awaited by every test that asks while it runs.
private final class Provisioning: @unchecked Sendable {
    static let shared = Provisioning()

    private enum State {
        case idle
        case running([CheckedContinuation<Result<String, PythonPeers.Unavailable>, Never>])
        case done(Result<String, PythonPeers.Unavailable>)
    }

    private let lock = NSLock()
    private var state = State.idle

    func result() async -> Result<String, PythonPeers.Unavailable> {
        await withCheckedContinuation { continuation in
            lock.lock()
            switch state {
            case .done(let result):
                lock.unlock()
                continuation.resume(returning: result)
            case .running(var waiting):
                waiting.append(continuation)
                state = .running(waiting)
                lock.unlock()
            case .idle:
                state = .running([continuation])
                lock.unlock()
                Thread.detachNewThread { self.finish(Self.provision()) }
            }
        }
    }

    private func finish(_ result: Result<String, PythonPeers.Unavailable>) {
        lock.lock()
        guard case .running(let waiting) = state else {
            lock.unlock()
            return
        }
        state = .done(result)
        lock.unlock()
        for continuation in waiting { continuation.resume(returning: result) }
    }

    private static func provision() -> Result<String, PythonPeers.Unavailable> {
        do {
            return .success(try provisionOrThrow())
        } catch let error as PythonPeers.Unavailable {
            return .failure(error)
        } catch {
            return .failure(.init(description: "\(error)"))
        }
    }

    private static func provisionOrThrow() throws -> String {
        let requirements = try String(contentsOfFile: PythonPeers.requirementsPath, encoding: .utf8)
        let pins = requirements.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard let python3 = executable(named: "python3") else {
            throw PythonPeers.Unavailable(description: "no python3 on PATH: the Python test peers need Python 3 (or set SPANLOG_SKIP_PYTHON_PEERS=1 to skip these tests)")
        }
        if ProcessInfo.processInfo.environment["SPANLOG_PYTHON_PEERS"] != "provision",
            (try? run(python3, ["-c", checkScript, PythonPeers.requirementsPath], timeout: 60))?.status == 0
        {
            return python3
        }
        let fingerprint = pins.joined(separator: "\n").utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        let base = PythonPeers.packageRoot.appendingPathComponent(".build/python-peers")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let environment = base.appendingPathComponent(String(fingerprint, radix: 16)).path
        let interpreter = environment + "/bin/python3"
        let ready = environment + "/.ready"
        // A ready environment is checked once per process: a Python upgraded under it breaks it.
        if FileManager.default.fileExists(atPath: ready), Self.isComplete(interpreter) { return interpreter }

        // Another test process may be provisioning the same environment: wait for its lock, as
        // long as a provisioning may take.
        let lockDescriptor = open(environment + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard lockDescriptor >= 0 else {
            throw PythonPeers.Unavailable(description: "cannot open \(environment).lock: errno \(errno)")
        }
        defer { close(lockDescriptor) }
        let lockDeadline = Date(timeIntervalSinceNow: Self.provisioningSeconds)
        while flock(lockDescriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < lockDeadline else {
                throw PythonPeers.Unavailable(description: "cannot lock \(environment).lock (another test process held it for \(Int(Self.provisioningSeconds)) s, or errno \(errno))")
            }
            usleep(200_000)
        }
        defer { flock(lockDescriptor, LOCK_UN) }
        if FileManager.default.fileExists(atPath: ready), Self.isComplete(interpreter) { return interpreter }

        try? FileManager.default.removeItem(atPath: environment)
        let steps: [(String, [String], Double)] = [
            (python3, ["-m", "venv", environment], 120),
            (interpreter, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", "-r", PythonPeers.requirementsPath], 420),
            (interpreter, ["-c", checkScript, PythonPeers.requirementsPath], 60),
        ]
        for (executable, arguments, timeout) in steps {
            let result = try run(executable, arguments, timeout: timeout)
            guard result.status == 0 else {
                try? FileManager.default.removeItem(atPath: environment)
                throw PythonPeers.Unavailable(
                    description: """
                        provisioning the Python test peers failed at `\(([executable] + arguments).joined(separator: " "))` \
                        (\(result.timedOut ? "timed out after \(Int(timeout)) s" : "exit \(result.status)")):
                        \(result.output.suffix(4000))
                        Install them by hand with `python3 -m pip install -r \(PythonPeers.requirementsPath)`, \
                        or set SPANLOG_SKIP_PYTHON_PEERS=1 to skip these tests.
                        """)
            }
        }
        guard FileManager.default.createFile(atPath: ready, contents: Data()) else {
            throw PythonPeers.Unavailable(description: "cannot write \(ready)")
        }
        return interpreter
    }

    /// The longest all provisioning steps together may take (their deadlines added up), which is
    /// also how long a test process waits for another one's provisioning.
    static let provisioningSeconds: Double = 120 + 420 + 60

    /// Whether `interpreter` runs and has every pin.
    private static func isComplete(_ interpreter: String) -> Bool {
        (try? run(interpreter, ["-c", checkScript, PythonPeers.requirementsPath], timeout: 60))?.status == 0
    }

    /// Exits 0 when every pin of the requirements file (argv[1]) is installed at its version.
    private static let checkScript = """
        import sys, importlib.metadata as m
        for line in open(sys.argv[1]):
            line = line.split("#")[0].strip()
            if not line: continue
            name, version = line.split("==")
            try:
                if m.version(name) != version: sys.exit(1)
            except m.PackageNotFoundError:
                sys.exit(1)
        """

    private static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a child with its output in a file and a deadline; a child that outlives it is killed.
    private static func run(_ executable: String, _ arguments: [String], timeout: Double) throws -> (status: Int32, output: String, timedOut: Bool) {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("spanlog-peers-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date(timeIntervalSinceNow: timeout)
        var timedOut = false
        while process.isRunning {
            if Date() >= deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(50_000)
        }
        process.waitUntilExit()
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, text, timedOut)
    }
}
