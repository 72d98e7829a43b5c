/// One record read from a log file: the original line, its parsed fields, and where it came
/// from. Log records and span records are both `LogLine`s; ``kind`` tells them apart.
///
/// ```swift
/// let line = try LogLine(text: #"{"timestamp":"2026-11-25T15:04:05.000000000Z","record":"log","level":"info","logger":"api","message":"hi"}"#)
/// line.kind      // .log
/// line.level     // .info
/// line.message   // "hi"
/// ```
public struct LogLine: Sendable {
    /// What a record is, from its `record` field.
    ///
    /// ```swift
    /// if line.kind == .span { print(line.name ?? "?") }
    /// ```
    public enum Kind: Sendable, Hashable {
        case log
        case span
        /// A JSON object without a known `record` field (other tools' lines).
        case other
    }

    /// The line exactly as read, without its newline.
    public let text: String
    /// The parsed record.
    public let fields: JSONObject
    /// `timestamp`, parsed; `nil` when absent or not RFC 3339.
    public let timestamp: RecordTime?
    /// Where the line was read.
    public var location: Location

    /// Where a record was read: which input file (its index in the scanned set) and the line's
    /// byte offset in the decompressed stream.
    ///
    /// ```swift
    /// let path = scanner.files[line.location.fileIndex]
    /// ```
    public struct Location: Sendable, Hashable, Comparable {
        /// Index of the file in the ordered input set.
        public var fileIndex: Int
        /// Offset of the line in the file's (decompressed) contents.
        public var offset: UInt64

        /// Creates a location.
        public init(fileIndex: Int, offset: UInt64) {
            self.fileIndex = fileIndex
            self.offset = offset
        }

        public static func < (lhs: Location, rhs: Location) -> Bool {
            (lhs.fileIndex, lhs.offset) < (rhs.fileIndex, rhs.offset)
        }
    }

    /// Parses one line (without its newline). Throws when it is not a JSON object.
    public init(text: String, location: Location = Location(fileIndex: 0, offset: 0)) throws(JSONParser.Failure) {
        let value = try JSONParser.parse(text)
        try self.init(text: text, value: value, location: location)
    }

    /// Parses one line from raw bytes (without its newline). Throws when it is not a JSON object.
    public init(bytes: UnsafeRawBufferPointer, location: Location) throws(JSONParser.Failure) {
        let value = try JSONParser.parse(bytes)
        try self.init(text: String(decoding: bytes, as: UTF8.self), value: value, location: location)
    }

    private init(text: String, value: JSONValue, location: Location) throws(JSONParser.Failure) {
        guard case .object(let object) = value else { throw JSONParser.Failure(offset: 0, reason: "a record must be a JSON object") }
        self.text = text
        self.fields = object
        self.timestamp = object["timestamp"]?.string.flatMap(RecordTime.init(rfc3339:))
        self.location = location
    }

    /// `log`, `span`, or `other`.
    public var kind: Kind {
        switch self.fields["record"]?.string {
        case "log": return .log
        case "span": return .span
        default: return .other
        }
    }

    /// The field `key` as text (see ``JSONValue/plainText``).
    public func string(_ key: String) -> String? { self.fields[key]?.string }

    /// `level`, parsed.
    public var level: RecordLevel? { self.string("level").flatMap(RecordLevel.init) }
    /// `trace_id`.
    public var traceID: String? { self.string("trace_id") }
    /// `span_id`.
    public var spanID: String? { self.string("span_id") }
    /// `parent_span_id` (span records).
    public var parentSpanID: String? { self.string("parent_span_id") }
    /// `message` (log records).
    public var message: String? { self.string("message") }
    /// `logger` (log records).
    public var logger: String? { self.string("logger") }
    /// `name` (span records).
    public var name: String? { self.string("name") }
    /// `status` (span records): `unset`, `ok` or `error`.
    public var status: String? { self.string("status") }
    /// `start` of a span record, parsed.
    public var start: RecordTime? { self.string("start").flatMap(RecordTime.init(rfc3339:)) }
    /// `end` of a span record, parsed.
    public var end: RecordTime? { self.string("end").flatMap(RecordTime.init(rfc3339:)) }
    /// `duration_ns` of a span record, or `end − start`.
    public var durationNanoseconds: Int64? {
        if let duration = self.fields["duration_ns"]?.int64 { return duration }
        if let start = self.start, let end = self.end { return end.signedNanoseconds(since: start) }
        return nil
    }
    /// `attributes` of a span record.
    public var attributes: JSONObject { self.fields["attributes"]?.object ?? JSONObject() }
    /// `events` of a span record.
    public var events: [JSONValue] { self.fields["events"]?.array ?? [] }

    /// Whether this record signals an error: a span with status `error`, or a record at level
    /// `error` or above.
    public var isError: Bool {
        if self.kind == .span, self.status == "error" { return true }
        if let level = self.level, level >= .error { return true }
        return false
    }

    /// Looks a field up for `--field key=value`: the top-level member `key`; else, for a span,
    /// the attribute `key`; else a dotted path through nested objects (`meta.user`).
    public func value(forField key: String) -> JSONValue? {
        if let value = self.fields[key] { return value }
        if let value = self.fields["attributes"]?.object?[key] { return value }
        var current: JSONValue? = .object(self.fields)
        for component in key.split(separator: ".", omittingEmptySubsequences: false) {
            current = current?[String(component)]
            if current == nil { return nil }
        }
        return current
    }
}
