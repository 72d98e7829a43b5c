import ArgumentParser
import SpanLogReader

/// `spanlog stats [paths…]`: counts and durations over all records.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise logs: counts by level and logger, error rates, slowest spans by name, traces with errors.",
        discussion: "Exit status: 0 when records were read, 1 when there were none, 2 on an error."
    )

    @OptionGroup var input: InputOptions

    @Flag(help: "Print one JSON object (durations in nanoseconds) instead of text.")
    var json = false

    @Option(help: ArgumentHelp("How many span names to list.", valueName: "n"))
    var top: Int = 10

    func validate() throws {
        guard self.top >= 0 else { throw ValidationError("--top must not be negative") }
    }

    func run() throws {
        let session = ScanSession(options: self.input)
        let parts = session.run { scanner in
            scanner.collect({ LogStatistics() }, { statistics, record in statistics.add(record) })
        }
        var statistics = LogStatistics()
        for part in parts { statistics.merge(part) }
        let summary = statistics.summary(slowest: self.top, errorTraces: self.top * 2)
        if self.json {
            Terminal.standardOutput.writeLine(summary.json())
        } else {
            Terminal.standardOutput.write(summary.text(style: TerminalStyle(enabled: Terminal.standardOutput.wantsColor)))
        }
        Terminal.standardOutput.flush()
        throw ExitStatus.of(found: summary.records > 0, errors: session.reporter.hadErrors).exitCode
    }
}
