import ArgumentParser
import SpanLogReader

/// `spanlog grep [<trace-id>] [paths…]`: every record of one trace, in time order; without a
/// trace id, every record of the files that passes the filters.
///
/// ```
/// spanlog grep 4bf92f3577b34da6a3ce929d0e0e4736 /var/log/app
/// spanlog grep /var/log/app --level error --since 1h --limit 20 --newest-first
/// ```
struct GrepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grep",
        abstract: "Print every record (logs and spans) of a trace, or every record that passes the filters.",
        discussion: """
            Reads plain and gzip files, rotated ones in time order. Output is the original JSON lines \
            (pipe them to jq) or, with --pretty, one readable line per record. Without a trace id (when the \
            first argument is not 32 hex digits it is a path) every record of the files is searched.
            Exit status: 0 when a record was found, 1 when none was, 2 on an error.
            """
    )

    @Argument(help: ArgumentHelp("The trace id: 32 hex digits (optional: without it every record is searched).", valueName: "trace-id"))
    var traceID: String?

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Only records of this span (16 hex digits).", valueName: "span-id"))
    var span: String?

    @Option(help: ArgumentHelp("Minimum level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var level: String?

    @Option(help: ArgumentHelp("Only records at or after this time: RFC 3339, or a duration ago such as 15m, 2h, 1d.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only records at or before this time: RFC 3339, or a duration ago such as 15m, 2h, 1d.", valueName: "time"))
    var until: String?

    @Option(name: .customLong("field"), help: ArgumentHelp("Only records whose field equals the value (a top-level field, a span attribute, or a dotted path). Repeatable.", valueName: "key=value"))
    var fields: [String] = []

    @Option(help: ArgumentHelp("Only records whose message (a span's name) contains this text.", valueName: "text"))
    var message: String?

    @Flag(help: "Treat --message as a regular expression.")
    var regex = false

    @Option(help: ArgumentHelp("Only log records of this logger (exactly).", valueName: "label"))
    var logger: String?

    @Option(help: ArgumentHelp("Only records of this service: the `service` field, else (log records) the name the rotated file is named after.", valueName: "name"))
    var service: String?

    @Option(name: .customLong("span-name"), help: ArgumentHelp("Only span records with this name (exactly).", valueName: "name"))
    var spanName: String?

    @Option(name: .customLong("min-duration"), help: ArgumentHelp("Only span records at least this long: 500ms, 2s, 1m.", valueName: "duration"))
    var minDuration: String?

    @Option(help: ArgumentHelp("Only span records with this status: unset, ok, error.", valueName: "status"))
    var status: String?

    @Flag(help: "Print how many records match instead of the records.")
    var count = false

    @Option(help: ArgumentHelp("Print at most n records (the oldest n, or with --newest-first the newest n).", valueName: "n"))
    var limit: Int?

    @Flag(name: .customLong("newest-first"), help: "Newest first (the default is oldest first, in time order).")
    var newestFirst = false

    @Flag(name: .customLong("no-index"), help: "Ignore trace indexes (<file>.idx) and read every file in full.")
    var noIndex = false

    @Flag(help: "One readable line per record instead of JSON (colour on a terminal).")
    var pretty = false

    func validate() throws {
        _ = try self.resolvedInput()
        _ = try self.makeQuery()
        if let limit = self.limit, limit < 0 { throw ValidationError("--limit '\(limit)' must be 0 or more") }
    }

    /// The trace id (nil: search every record) and the paths: a first argument that is not a
    /// trace id is a path when it names one.
    func resolvedInput() throws -> (traceID: String?, input: InputOptions) {
        guard let first = self.traceID else { return (nil, self.input) }
        if let id = TraceIdentifier.normalizedTraceID(first) { return (id, self.input) }
        guard PathCheck.exists(first) else {
            throw ValidationError("'\(first)' is not a trace id (expected 32 hex digits, not all zero) nor an existing file or directory")
        }
        var input = self.input
        input.paths.insert(first, at: 0)
        return (nil, input)
    }

    func makeQuery() throws -> RecordQuery {
        var query = RecordQuery()
        if let span = self.span {
            guard let id = TraceIdentifier.normalizedSpanID(span) else {
                throw ValidationError("'\(span)' is not a span id (expected 16 hex digits, not all zero)")
            }
            query.spanID = id
        }
        if let level = self.level {
            guard let parsed = RecordLevel(level) else {
                throw ValidationError("'\(level)' is not a level (trace, debug, info, notice, warning, error, critical)")
            }
            query.minimumLevel = parsed
        }
        let now = RecordTime.now()
        if let since = self.since { query.since = try parseTimeOption("--since", since, now: now) }
        if let until = self.until { query.until = try parseTimeOption("--until", until, now: now) }
        for field in self.fields {
            guard let equals = field.firstIndex(of: "="), equals != field.startIndex else {
                throw ValidationError("--field '\(field)' must be key=value")
            }
            query.fields.append((String(field[..<equals]), String(field[field.index(after: equals)...])))
        }
        if let message = self.message {
            if self.regex {
                do {
                    query.message = .regex(try Regex(message))
                } catch {
                    throw ValidationError("--message '\(message)' is not a valid regular expression: \(error)")
                }
            } else {
                query.message = .substring(message)
            }
        } else if self.regex {
            throw ValidationError("--regex needs --message")
        }
        query.logger = self.logger
        query.service = self.service
        query.spanName = self.spanName
        if let text = self.minDuration {
            query.minimumDuration = try parseDurationOption("--min-duration", text)
        }
        if let status = self.status {
            guard ["unset", "ok", "error"].contains(status) else {
                throw ValidationError("--status '\(status)' is not a span status (unset, ok, error)")
            }
            query.status = status
        }
        return query
    }

    func run() throws {
        let (traceID, input) = try self.resolvedInput()
        let query = try self.makeQuery()
        let session = ScanSession(options: input, usesIndexes: !self.noIndex)
        let formatter = PrettyFormatter(style: TerminalStyle(enabled: Terminal.standardOutput.wantsColor))
        let pretty = self.pretty
        let print: @Sendable (LogLine) -> Void = { record in
            Terminal.standardOutput.writeLine(pretty ? formatter.format(record) : TerminalText.escapedJSONLine(record.text))
        }
        let found: Int
        if let traceID {
            let services = session.files.map(RecordSearch.service(ofFile:))
            var records = session.run { $0.records(ofTrace: traceID, from: query.since, through: query.until) }
                .filter { query.matches($0, fileService: services[$0.location.fileIndex]) }
            if self.newestFirst { records.reverse() }
            if let limit = self.limit { records = Array(records.prefix(limit)) }
            found = records.count
            if !self.count { records.forEach(print) }
        } else {
            let search = RecordSearch(scanner: session.scanner, query: query)
            if self.count {
                found = session.run { _ in search.count() }
            } else {
                let selection: RecordSearch.Selection = self.limit.map { self.newestFirst ? .newest($0) : .oldest($0) }
                    ?? (self.newestFirst ? .newest(Int.max) : .all)
                found = session.run { _ in search.run(selection, print) }
            }
        }
        if self.count { Terminal.standardOutput.writeLine(String(found)) }
        Terminal.standardOutput.flush()
        throw ExitStatus.of(found: found > 0, errors: session.reporter.hadErrors).exitCode
    }
}
