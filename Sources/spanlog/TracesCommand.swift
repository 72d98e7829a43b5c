import ArgumentParser
import SpanLogReader

/// `spanlog traces [paths…]`: one line per trace of the files that passes the filters, newest
/// first or slowest first — the way from "slow" or "errors" to a trace id.
///
/// ```
/// spanlog traces /var/log/app --slowest --since 1h --route /checkout
/// spanlog traces /var/log/app --errors --json | jq -r .trace_id
/// ```
struct TracesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traces",
        abstract: "List traces (root span, route, service, start, duration, spans, errors), newest or slowest first.",
        discussion: """
            Built from the span records of the files. A trace's root is its span without a parent; \
            when none is in the files the earliest span stands in and the line is marked "(root missing)". \
            At most \(TraceList.defaultMaximumTraces) traces are held at once (--max-traces); past that the \
            lowest-ranked are dropped and counted on stderr.
            Exit status: 0 when a trace was listed, 1 when none was, 2 on an error.
            """
    )

    @OptionGroup var input: InputOptions

    @Flag(help: "Sort by duration, longest first (default: by start, newest first).")
    var slowest = false

    @Flag(help: "Only traces with an error span.")
    var errors = false

    @Option(name: .customLong("min-duration"), help: ArgumentHelp("Only traces at least this long: 500ms, 2s, 1m.", valueName: "duration"))
    var minDuration: String?

    @Option(help: ArgumentHelp("Only traces whose root's http.route is this or starts with it and '/'.", valueName: "route"))
    var route: String?

    @Option(help: ArgumentHelp("Only traces whose root span is of this service.", valueName: "name"))
    var service: String?

    @Option(help: ArgumentHelp("Only traces that started at or after this time: RFC 3339, or a duration ago such as 15m, 2h, 1d.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only traces that started at or before this time: RFC 3339, or a duration ago such as 15m, 2h, 1d.", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("List at most n traces (default 20).", valueName: "n"))
    var limit = 20

    @Option(name: .customLong("max-traces"), help: ArgumentHelp("Hold at most n trace summaries at once.", valueName: "n"))
    var maxTraces = TraceList.defaultMaximumTraces

    @Flag(help: "One JSON object per trace (durations and times in nanoseconds and RFC 3339).")
    var json = false

    @Flag(name: .customLong("no-index"), help: "Ignore trace indexes (<file>.idx): no block is skipped by --since.")
    var noIndex = false

    func validate() throws {
        _ = try self.makeList(scanner: LogScanner(files: [], issues: { _ in }))
        guard self.limit >= 0 else { throw ValidationError("--limit '\(self.limit)' must be 0 or more") }
        guard self.maxTraces >= 16 else { throw ValidationError("--max-traces '\(self.maxTraces)' must be 16 or more") }
    }

    func makeList(scanner: LogScanner) throws -> TraceList {
        var list = TraceList(scanner: scanner)
        list.order = self.slowest ? .slowest : .newest
        list.limit = self.limit
        list.onlyErrors = self.errors
        list.route = self.route
        list.service = self.service
        list.maximumTraces = self.maxTraces
        if let text = self.minDuration { list.minimumDuration = try parseDurationOption("--min-duration", text) }
        let now = RecordTime.now()
        if let since = self.since { list.since = try parseTimeOption("--since", since, now: now) }
        if let until = self.until { list.until = try parseTimeOption("--until", until, now: now) }
        return list
    }

    func run() throws {
        let session = ScanSession(options: self.input, usesIndexes: !self.noIndex)
        let list = try self.makeList(scanner: session.scanner)
        let result = session.run { _ in list.run() }
        if result.droppedTraces > 0 {
            session.reporter.warning("more than \(self.maxTraces) traces: \(result.droppedTraces) summaries were dropped (lowest ranked); the list may miss some (--max-traces, or narrow with --since)")
        }
        for trace in result.traces {
            Terminal.standardOutput.writeLine(self.json ? TraceListLine.json(trace) : TraceListLine.text(trace))
        }
        Terminal.standardOutput.flush()
        throw ExitStatus.of(found: !result.traces.isEmpty, errors: session.reporter.hadErrors).exitCode
    }
}
