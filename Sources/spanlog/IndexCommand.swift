import ArgumentParser
import SpanLogReader

/// `spanlog index [paths…]`: builds the trace indexes that `grep` and `trace` use.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build missing trace indexes (<file>.idx) for gzip log files.",
        discussion: """
            SpanLog's file sink writes an index beside every file it closes; this builds one for files \
            without a usable index (older files, a killed process's last file, files from elsewhere). \
            Plain and damaged files are left unindexed and are always read in full.
            Exit status: 0 when every file has a usable index or cannot have one, 2 on an error.
            """
    )

    @Argument(help: "Log files or directories (default: the current directory).")
    var paths: [String] = []

    @Flag(help: "Rebuild indexes that are up to date too.")
    var force = false

    @Option(help: ArgumentHelp("How many files to index at the same time.", valueName: "n"))
    var threads: Int = 2

    func validate() throws {
        guard (1...64).contains(self.threads) else { throw ValidationError("--threads must be between 1 and 64") }
    }

    func run() throws {
        let reporter = IssueReporter()
        let set = LogFileSet(paths: self.paths.isEmpty ? ["."] : self.paths)
        for issue in set.issues { reporter.report(issue) }
        let outcomes = TraceIndexer.index(files: set.files, force: self.force, threads: self.threads)
        var written = 0
        var upToDate = 0
        var notIndexed = 0
        var records: UInt64 = 0
        for (path, outcome) in zip(set.files, outcomes) {
            switch outcome {
            case .written(let count, _):
                written += 1
                records += count
            case .upToDate:
                upToDate += 1
            case .notIndexed(let reason):
                notIndexed += 1
                Terminal.standardError.writeLine(TerminalText.escaped("spanlog: \(path): not indexed: \(reason)"))
            case .failed(let reason):
                reporter.error("\(path): \(reason)")
            }
        }
        Terminal.standardOutput.writeLine("\(written) indexed (\(records) records), \(upToDate) up to date, \(notIndexed) not indexable, \(set.files.count - written - upToDate - notIndexed) failed")
        Terminal.standardOutput.flush()
        if reporter.hadErrors { throw ExitStatus.error.exitCode }
    }
}
