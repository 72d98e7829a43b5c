import ArgumentParser
import SpanLogReader
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The paths and scanning options every reading command takes.
struct InputOptions: ParsableArguments {
    @Argument(help: "Log files or directories (default: the current directory).")
    var paths: [String] = []

    @Option(help: ArgumentHelp("How many files to read at the same time.", valueName: "n"))
    var threads: Int = 2

    func validate() throws {
        guard (1...64).contains(self.threads) else { throw ValidationError("--threads must be between 1 and 64") }
    }
}

/// One scan: the resolved files, a progress line, and the issue reporter, wired together.
struct ScanSession {
    let files: [String]
    let reporter: IssueReporter
    let scanner: LogScanner
    private let progressLine: ProgressLine

    init(options: InputOptions, usesIndexes: Bool = true) {
        let set = LogFileSet(paths: options.paths.isEmpty ? ["."] : options.paths)
        let progress = ScanProgress()
        var totalBytes: UInt64 = 0
        for file in set.files {
            var status = stat()
            if stat(file, &status) == 0 { totalBytes += UInt64(status.st_size) }
        }
        self.files = set.files
        self.progressLine = ProgressLine(progress: progress, totalFiles: set.files.count, totalBytes: totalBytes)
        self.reporter = IssueReporter(progress: self.progressLine)
        var scanner = LogScanner(files: set.files, threads: options.threads, progress: progress, issues: self.reporter.handler)
        scanner.usesIndexes = usesIndexes
        self.scanner = scanner
        for issue in set.issues { self.reporter.report(issue) }
        if set.files.isEmpty, set.issues.isEmpty {
            Terminal.standardError.writeLine("spanlog: no log files (*.jsonl, *.log, *.json, *.gz) in \(options.paths.isEmpty ? "." : options.paths.joined(separator: ", "))")
        }
    }

    /// Runs `body` with the progress line up.
    func run<T>(_ body: (LogScanner) -> T) -> T {
        self.progressLine.start()
        defer { self.progressLine.stop() }
        return body(self.scanner)
    }
}

/// Parses a trace id argument.
func parseTraceID(_ text: String) throws -> String {
    guard let id = TraceIdentifier.normalizedTraceID(text) else {
        throw ValidationError("'\(text)' is not a trace id (expected 32 hex digits, not all zero)")
    }
    return id
}
