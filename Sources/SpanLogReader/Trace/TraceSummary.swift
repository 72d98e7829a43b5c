/// One trace as `spanlog traces` lists it, folded from its span records: its root span (the span
/// without a `parent_span_id`), when it started, how long it took, how many spans and errors.
///
/// When no span of the trace in the files lacks a parent (the root is in another service's
/// files, was deleted by retention, or has not ended), ``rootMissing`` is true and the
/// earliest-starting span stands in for the root.
///
/// ```swift
/// var summary = TraceSummary(span: record)!
/// summary.merge(TraceSummary(span: other)!)
/// print(summary.rootName, summary.durationNanoseconds, summary.spanCount)
/// ```
package struct TraceSummary: Sendable {
    package var traceID: String
    /// The root's (or stand-in's) name, service, `http.route`, and `http.request.method` (or
    /// `http.method`).
    package var rootName: String
    package var service: String?
    package var route: String?
    package var method: String?
    /// The earliest span start and the latest span end (Unix nanoseconds).
    package var start: Int64
    package var end: Int64
    /// The root's `duration_ns` (when the root is there).
    package var rootDuration: Int64?
    package var spanCount: Int
    /// Spans with status `error`.
    package var errorCount: Int
    /// Whether no span without a parent was found.
    package var rootMissing: Bool { self.rootDuration == nil }
    /// The start of the span standing in for the root, while the root is missing.
    private var standInStart: Int64

    /// The trace's duration: the root's, else from the earliest start to the latest end seen.
    package var durationNanoseconds: Int64 { self.rootDuration ?? max(0, self.end &- self.start) }

    /// The summary of one span record; nil for other records, or a span without `trace_id`,
    /// `start` or `end`.
    package init?(span record: LogLine) {
        guard record.kind == .span, let traceID = record.traceID, let start = record.start?.nanosecondsSinceEpoch,
              let end = record.end?.nanosecondsSinceEpoch
        else { return nil }
        self.traceID = traceID
        self.rootName = record.name ?? "?"
        self.service = record.string("service")
        let attributes = record.attributes
        self.route = attributes["http.route"]?.string
        self.method = attributes["http.request.method"]?.string ?? attributes["http.method"]?.string
        self.start = start
        self.end = end
        self.rootDuration = record.parentSpanID == nil ? (record.durationNanoseconds ?? max(0, end &- start)) : nil
        self.spanCount = 1
        self.errorCount = record.status == "error" ? 1 : 0
        self.standInStart = start
    }

    /// Folds in another summary of the same trace.
    package mutating func merge(_ other: TraceSummary) {
        let takesRoot = (self.rootMissing && !other.rootMissing)
            || (self.rootMissing && other.rootMissing && other.standInStart < self.standInStart)
        if takesRoot {
            self.rootName = other.rootName
            self.service = other.service
            self.route = other.route
            self.method = other.method
            self.rootDuration = other.rootDuration
            self.standInStart = other.standInStart
        }
        self.start = min(self.start, other.start)
        self.end = max(self.end, other.end)
        self.spanCount += other.spanCount
        self.errorCount += other.errorCount
    }
}
