import SpanLogReader
import Synchronization

/// Prints read issues on stderr as they happen (each once, escaped: a file name or a quoted
/// value cannot send terminal sequences) and remembers whether any was an error, which makes
/// the exit status 2.
final class IssueReporter: Sendable {
    private let errorCount = Atomic<Int>(0)
    private let progress: ProgressLine?

    init(progress: ProgressLine? = nil) {
        self.progress = progress
    }

    var hadErrors: Bool { self.errorCount.load(ordering: .relaxed) > 0 }

    var handler: ReadIssueHandler {
        { [self] issue in self.report(issue) }
    }

    func report(_ issue: ReadIssue) {
        if issue.severity == .error { self.errorCount.add(1, ordering: .relaxed) }
        self.progress?.clear()
        Terminal.standardError.writeLine(TerminalText.escaped(issue.description))
    }

    /// Reports a warning that is not about a file (the exit status is unchanged).
    func warning(_ message: String) {
        self.progress?.clear()
        Terminal.standardError.writeLine("spanlog: " + TerminalText.escaped(message))
    }

    /// Reports an error that is not about a file.
    func error(_ message: String) {
        self.errorCount.add(1, ordering: .relaxed)
        self.progress?.clear()
        Terminal.standardError.writeLine("spanlog: " + TerminalText.escaped(message))
    }
}
