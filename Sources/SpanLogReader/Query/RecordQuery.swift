/// The filters of `spanlog grep`, applied to records already known to belong to the trace.
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

    /// A query that matches everything.
    public init() {}

    /// Whether `record` passes every filter.
    public func matches(_ record: LogLine) -> Bool {
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
