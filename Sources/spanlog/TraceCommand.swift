import ArgumentParser
import Foundation
import SpanLogReader

/// `spanlog trace <trace-id> [paths…]`: the span tree of one trace as a waterfall.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Rebuild a trace: its span tree as a terminal waterfall, with each span's logs.",
        discussion: """
            Spans nest by parent_span_id; log records attach to their span by span_id. A span with logs \
            but no span record is shown as unfinished; a span whose parent is not in the files hangs \
            under the root, marked as an orphan.
            Exit status: 0 when the trace was found, 1 when not, 2 on an error.
            """
    )

    @Argument(help: ArgumentHelp("The trace id: 32 hex digits.", valueName: "trace-id"))
    var traceID: String

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Also write the waterfall as a self-contained HTML page to this file.", valueName: "file"))
    var html: String?

    @Flag(name: .customLong("no-index"), help: "Ignore trace indexes (<file>.idx) and read every file in full.")
    var noIndex = false

    @Option(help: ArgumentHelp("Width of the waterfall bars in characters.", valueName: "n"))
    var width: Int = 40

    func validate() throws {
        _ = try parseTraceID(self.traceID)
        guard (10...400).contains(self.width) else { throw ValidationError("--width must be between 10 and 400") }
    }

    func run() throws {
        let traceID = try parseTraceID(self.traceID)
        let session = ScanSession(options: self.input, usesIndexes: !self.noIndex)
        let records = session.run { $0.records(ofTrace: traceID) }
        guard !records.isEmpty else {
            Terminal.standardError.writeLine("spanlog: no records of trace \(traceID)")
            throw ExitStatus.of(found: false, errors: session.reporter.hadErrors).exitCode
        }
        let tree = TraceTree(traceID: traceID, records: records)
        let renderer = WaterfallRenderer(style: TerminalStyle(enabled: Terminal.standardOutput.wantsColor), barWidth: self.width, lineWidth: Terminal.standardOutput.columns)
        Terminal.standardOutput.write(renderer.render(tree))
        Terminal.standardOutput.flush()
        if let html = self.html {
            do {
                try HTMLRenderer().render(tree).write(toFile: html, atomically: true, encoding: .utf8)
            } catch {
                session.reporter.error("\(html): cannot write the HTML page: \((error as NSError).localizedDescription)")
            }
        }
        throw ExitStatus.of(found: true, errors: session.reporter.hadErrors).exitCode
    }
}
