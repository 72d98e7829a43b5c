/// What `spanlog stats` reports, ready to print as text or JSON.
///
/// ```swift
/// let summary = stats.summary()
/// print(summary.text())
/// print(summary.json())
/// ```
public struct StatisticsSummary: Sendable {
    /// Durations of the spans of one name.
    ///
    /// ```swift
    /// for span in summary.slowestSpans { print(span.name, DurationText.format(nanoseconds: span.p95)) }
    /// ```
    public struct SpanDurations: Sendable {
        /// The span name.
        public var name: String
        /// How many spans.
        public var count: Int
        /// Median duration (ns).
        public var p50: Int64
        /// 95th percentile duration (ns).
        public var p95: Int64
        /// Longest duration (ns).
        public var max: Int64
    }

    /// All records.
    public var records: Int
    /// Log records.
    public var logs: Int
    /// Span records.
    public var spans: Int
    /// Earliest record.
    public var first: RecordTime?
    /// Latest record.
    public var last: RecordTime?
    /// Log records by level, trace → critical.
    public var byLevel: [(level: String, count: Int)]
    /// Log records by logger, most first.
    public var byLogger: [(logger: String, count: Int)]
    /// Log records at `error` or above.
    public var errorLogs: Int
    /// Spans with status `error`.
    public var errorSpans: Int
    /// Span names by p95 duration, slowest first.
    public var slowestSpans: [SpanDurations]
    /// How many traces contain an error record.
    public var tracesWithErrors: Int
    /// Traces with the most error records, with their count.
    public var topErrorTraces: [(traceID: String, errors: Int)]

    /// Error logs / logs (0 when there are none).
    public var errorRate: Double { self.logs == 0 ? 0 : Double(self.errorLogs) / Double(self.logs) }
    /// Error spans / spans (0 when there are none).
    public var spanErrorRate: Double { self.spans == 0 ? 0 : Double(self.errorSpans) / Double(self.spans) }

    static func percentText(_ rate: Double) -> String {
        DurationText.significant(rate * 100) + "%"
    }

    /// A plain-text report, lines ending in `\n`.
    public func text(style: TerminalStyle = TerminalStyle(enabled: false)) -> String {
        var output = style.paint("records", .bold) + ": \(self.records) (\(self.logs) logs, \(self.spans) spans)"
        if let first = self.first, let last = self.last { output += ", \(first.rfc3339) … \(last.rfc3339)" }
        output += "\n"
        output += "errors: \(self.errorLogs) error logs (\(Self.percentText(self.errorRate)) of logs), \(self.errorSpans) error spans (\(Self.percentText(self.spanErrorRate)) of spans)\n"
        if !self.byLevel.isEmpty {
            output += "\n" + style.paint("logs by level", .bold) + "\n"
            for entry in self.byLevel {
                output += "  " + Self.pad(PrettyFormatter.sanitize(entry.level), 10) + Self.leftPad(String(entry.count), 10) + "\n"
            }
        }
        if !self.byLogger.isEmpty {
            output += "\n" + style.paint("logs by logger", .bold) + "\n"
            let width = min(40, self.byLogger.map(\.logger.count).max() ?? 0) + 2
            for entry in self.byLogger {
                output += "  " + Self.pad(PrettyFormatter.sanitize(entry.logger), width) + Self.leftPad(String(entry.count), 10) + "\n"
            }
        }
        if !self.slowestSpans.isEmpty {
            output += "\n" + style.paint("slowest spans (by p95)", .bold) + "\n"
            let width = min(40, self.slowestSpans.map(\.name.count).max() ?? 0) + 2
            output += "  " + Self.pad("name", width) + Self.leftPad("count", 8) + Self.leftPad("p50", 10) + Self.leftPad("p95", 10) + Self.leftPad("max", 10) + "\n"
            for span in self.slowestSpans {
                output += "  " + Self.pad(PrettyFormatter.sanitize(span.name), width) + Self.leftPad(String(span.count), 8)
                    + Self.leftPad(DurationText.format(nanoseconds: span.p50), 10)
                    + Self.leftPad(DurationText.format(nanoseconds: span.p95), 10)
                    + Self.leftPad(DurationText.format(nanoseconds: span.max), 10) + "\n"
            }
        }
        output += "\n" + style.paint("traces with errors", .bold) + ": \(self.tracesWithErrors)\n"
        for trace in self.topErrorTraces {
            output += "  \(PrettyFormatter.sanitize(trace.traceID))  \(trace.errors) error record\(trace.errors == 1 ? "" : "s")\n"
        }
        return output
    }

    /// The same figures as one JSON object (durations in nanoseconds).
    public func json() -> String {
        func number(_ value: Int) -> JSONValue { .number(String(value)) }
        func number64(_ value: Int64) -> JSONValue { .number(String(value)) }
        func rate(_ value: Double) -> JSONValue { .number(String((value * 1_000_000).rounded() / 1_000_000)) }
        let object = JSONObject([
            .init(key: "records", value: number(self.records)),
            .init(key: "logs", value: number(self.logs)),
            .init(key: "spans", value: number(self.spans)),
            .init(key: "first", value: self.first.map { .string($0.rfc3339) } ?? .null),
            .init(key: "last", value: self.last.map { .string($0.rfc3339) } ?? .null),
            .init(key: "by_level", value: .object(JSONObject(self.byLevel.map { .init(key: $0.level, value: number($0.count)) }))),
            .init(key: "by_logger", value: .object(JSONObject(self.byLogger.map { .init(key: $0.logger, value: number($0.count)) }))),
            .init(key: "error_logs", value: number(self.errorLogs)),
            .init(key: "error_rate", value: rate(self.errorRate)),
            .init(key: "error_spans", value: number(self.errorSpans)),
            .init(key: "span_error_rate", value: rate(self.spanErrorRate)),
            .init(key: "slowest_spans", value: .array(self.slowestSpans.map { span in
                .object(JSONObject([
                    .init(key: "name", value: .string(span.name)),
                    .init(key: "count", value: number(span.count)),
                    .init(key: "p50_ns", value: number64(span.p50)),
                    .init(key: "p95_ns", value: number64(span.p95)),
                    .init(key: "max_ns", value: number64(span.max)),
                ]))
            })),
            .init(key: "traces_with_errors", value: number(self.tracesWithErrors)),
            .init(key: "top_error_traces", value: .array(self.topErrorTraces.map { trace in
                .object(JSONObject([
                    .init(key: "trace_id", value: .string(trace.traceID)),
                    .init(key: "errors", value: number(trace.errors)),
                ]))
            })),
        ])
        return JSONWriter.string(.object(object))
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
