import SpanLogReader
import Synchronization

/// Rebuilds one trace from the demo's log files with SpanLogReader, the same way
/// `spanlog trace` does: the directory's files in rotation order, the trace's records (through
/// the trace indexes), nested into a ``TraceTree`` and drawn by ``WaterfallRenderer``.
enum DemoTrace {
    /// What reading one trace gave.
    struct Reading {
        /// The trace as a plain-text waterfall, lines ending in `\n`; `nil` when the files hold
        /// no span record of the trace.
        var waterfall: String?
        /// What the reader skipped (warnings) or could not read at all (errors), in the order met.
        var issues: [ReadIssue]

        /// Whether a file or path could not be read.
        var hasErrors: Bool { self.issues.contains { $0.severity == .error } }
    }

    /// Reads the trace `traceID` (32 hex digits, any case) from the log files in `directory`.
    static func read(traceID: String, in directory: String) -> Reading {
        let traceID = TraceIdentifier.normalizedTraceID(traceID) ?? traceID
        let files = LogFileSet(paths: [directory])
        let collector = IssueCollector(files.issues)
        let scanner = LogScanner(files: files.files, issues: collector.handler)
        let records = scanner.records(ofTrace: traceID)
        var reading = Reading(waterfall: nil, issues: collector.issues)
        if records.contains(where: { $0.kind == .span }) {
            let tree = TraceTree(traceID: traceID, records: records)
            reading.waterfall = WaterfallRenderer(style: TerminalStyle(enabled: false)).render(tree)
        }
        return reading
    }
}

/// Keeps the issues a scan reports; its handler is called from the reading threads.
private final class IssueCollector: Sendable {
    private let storage: Mutex<[ReadIssue]>

    init(_ issues: [ReadIssue]) {
        self.storage = Mutex(issues)
    }

    var issues: [ReadIssue] { self.storage.withLock { $0 } }

    var handler: ReadIssueHandler {
        { [self] issue in self.storage.withLock { $0.append(issue) } }
    }
}
