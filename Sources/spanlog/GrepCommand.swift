import ArgumentParser
import SpanLogReader

/// `spanlog grep <trace-id> [paths…]`: every record of one trace, in time order.
struct GrepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grep",
        abstract: "Print every record (logs and spans) of a trace, in time order.",
        discussion: """
            Reads plain and gzip files, rotated ones in time order. Output is the original JSON lines \
            (pipe them to jq) or, with --pretty, one readable line per record.
            Exit status: 0 when a record was found, 1 when none was, 2 on an error.
            """
    )

    @Argument(help: ArgumentHelp("The trace id: 32 hex digits.", valueName: "trace-id"))
    var traceID: String

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

    @Flag(name: .customLong("no-index"), help: "Ignore trace indexes (<file>.idx) and read every file in full.")
    var noIndex = false

    @Flag(help: "One readable line per record instead of JSON (colour on a terminal).")
    var pretty = false

    func validate() throws {
        _ = try parseTraceID(self.traceID)
        _ = try self.makeQuery()
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
        if let since = self.since {
            guard let time = RecordTime(bound: since, now: now) else {
                throw ValidationError("--since '\(since)' is neither RFC 3339 nor a duration like 15m, 2h, 1d")
            }
            query.since = time
        }
        if let until = self.until {
            guard let time = RecordTime(bound: until, now: now) else {
                throw ValidationError("--until '\(until)' is neither RFC 3339 nor a duration like 15m, 2h, 1d")
            }
            query.until = time
        }
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
        return query
    }

    func run() throws {
        let traceID = try parseTraceID(self.traceID)
        let query = try self.makeQuery()
        let session = ScanSession(options: self.input, usesIndexes: !self.noIndex)
        let records = session.run { $0.records(ofTrace: traceID, from: query.since, through: query.until) }.filter(query.matches)
        let formatter = PrettyFormatter(style: TerminalStyle(enabled: Terminal.standardOutput.wantsColor))
        for record in records {
            Terminal.standardOutput.writeLine(self.pretty ? formatter.format(record) : TerminalText.escapedJSONLine(record.text))
        }
        Terminal.standardOutput.flush()
        throw ExitStatus.of(found: !records.isEmpty, errors: session.reporter.hadErrors).exitCode
    }
}
