/// The filters of `spanlog grep`: with a trace id, applied to that trace's records; without
/// one, to every record of the files (see ``LinePrefilter`` for the cheap first look).
///
/// ```swift
/// var query = RecordQuery()
/// query.minimumLevel = .warning
/// query.fields = [("http.route", "/users/{id}")]
/// query.message = .substring("timeout")
/// let kept = records.filter(query.matches)
/// ```
public struct RecordQuery {
    /// How `--message` matches.
    ///
    /// ```swift
    /// query.message = .regex(try Regex("time(d)? ?out"))
    /// ```
    public enum MessageMatch {
        /// The message contains this text.
        case substring(String)
        /// The message contains a match of this regular expression.
        case regex(Regex<AnyRegexOutput>)
    }

    /// Only records of this span (`span_id`); for a span record, the span itself.
    public var spanID: String?
    /// Only records at this level or above.
    public var minimumLevel: RecordLevel?
    /// Only records at or after this time.
    public var since: RecordTime?
    /// Only records at or before this time.
    public var until: RecordTime?
    /// Every pair must match: the field's value, as plain text, equals the given text (see
    /// ``LogLine/value(forField:)`` for how a key is looked up).
    public var fields: [(key: String, value: String)] = []
    /// Matched against `message` for logs and `name` for spans.
    public var message: MessageMatch?
    /// Only records whose `logger` equals this (span records have none, so they never match).
    public var logger: String?
    /// Only records whose `service` equals this; a record without a `service` field (SpanLog's
    /// log records) matches when the service its file is named after does (see
    /// ``matches(_:fileService:)``).
    public var service: String?
    /// Only span records with this `name` (exactly).
    public var spanName: String?
    /// Only span records at least this long (nanoseconds, from `duration_ns`).
    public var minimumDuration: Int64?
    /// Only span records with this `status` (`unset`, `ok`, `error`).
    public var status: String?

    /// Whether a filter applies to span records only (`spanName`, `minimumDuration`, `status`):
    /// then log records never match.
    public var isSpanOnly: Bool { self.spanName != nil || self.minimumDuration != nil || self.status != nil }

    /// A query that matches everything.
    public init() {}

    /// Whether `record` passes every filter (a record without a `service` field never matches
    /// ``service``).
    public func matches(_ record: LogLine) -> Bool {
        self.matches(record, fileService: nil)
    }

    /// Whether `record` passes every filter; `fileService` is the service the record's file is
    /// named after (the `<name>` of a rotated `<name>-<stamp>-<seq>.jsonl.gz`), used by
    /// ``service`` for records without a `service` field.
    public func matches(_ record: LogLine, fileService: String?) -> Bool {
        if self.isSpanOnly {
            guard record.kind == .span else { return false }
            if let spanName = self.spanName, record.name != spanName { return false }
            if let status = self.status, record.status != status { return false }
            if let minimumDuration = self.minimumDuration {
                guard let duration = record.durationNanoseconds, duration >= minimumDuration else { return false }
            }
        }
        if let logger = self.logger, record.logger != logger { return false }
        if let service = self.service, (record.string("service") ?? fileService) != service { return false }
        if let spanID = self.spanID, record.spanID != spanID { return false }
        if let minimumLevel = self.minimumLevel {
            guard let level = record.level, level >= minimumLevel else { return false }
        }
        if self.since != nil || self.until != nil {
            guard let time = record.timestamp else { return false }
            if let since = self.since, time < since { return false }
            if let until = self.until, time > until { return false }
        }
        for field in self.fields {
            guard let value = record.value(forField: field.key), value.plainText == field.value else { return false }
        }
        if let message = self.message {
            guard let text = record.kind == .span ? record.name : record.message else { return false }
            switch message {
            case .substring(let needle):
                if !text.contains(needle) { return false }
            case .regex(let regex):
                if (try? regex.firstMatch(in: text)) == nil { return false }
            }
        }
        return true
    }
}
