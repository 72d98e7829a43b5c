/// Counts over a set of records, for `spanlog stats`: records by level and by logger, error
/// rates, span durations by name, and the traces that contain errors.
///
/// Statistics can be built in pieces (one per file, on several threads) and merged.
///
/// ```swift
/// var stats = LogStatistics()
/// for record in records { stats.add(record) }
/// let summary = stats.summary(slowest: 10)
/// print(summary.errorRate)
/// ```
public struct LogStatistics: Sendable {
    /// Log records by level name.
    public var logsByLevel: [String: Int] = [:]
    /// Log records by logger label.
    public var logsByLogger: [String: Int] = [:]
    /// All log records.
    public var logCount = 0
    /// Log records at `error` or above.
    public var errorLogCount = 0
    /// All span records.
    public var spanCount = 0
    /// Span records with status `error`.
    public var errorSpanCount = 0
    /// Records that are neither logs nor spans.
    public var otherCount = 0
    /// Span durations (ns) by span name.
    public var durationsByName: [String: [Int64]] = [:]
    /// Per trace with errors: how many error records it has.
    public var errorsByTrace: [String: Int] = [:]
    /// Earliest record time.
    public var first: RecordTime?
    /// Latest record time.
    public var last: RecordTime?

    /// Empty statistics.
    public init() {}

    /// Counts one record.
    public mutating func add(_ record: LogLine) {
        if let time = record.timestamp {
            if self.first.map({ time < $0 }) ?? true { self.first = time }
            if self.last.map({ time > $0 }) ?? true { self.last = time }
        }
        switch record.kind {
        case .log:
            self.logCount += 1
            self.logsByLevel[record.string("level") ?? "?", default: 0] += 1
            self.logsByLogger[record.logger ?? "?", default: 0] += 1
            if let level = record.level, level >= .error { self.errorLogCount += 1 }
        case .span:
            self.spanCount += 1
            if record.status == "error" { self.errorSpanCount += 1 }
            if let duration = record.durationNanoseconds {
                self.durationsByName[record.name ?? "?", default: []].append(duration)
            }
        case .other:
            self.otherCount += 1
        }
        if record.isError, let traceID = record.traceID {
            self.errorsByTrace[traceID, default: 0] += 1
        }
    }

    /// Adds another set of counts to these.
    public mutating func merge(_ other: LogStatistics) {
        self.logsByLevel.merge(other.logsByLevel, uniquingKeysWith: +)
        self.logsByLogger.merge(other.logsByLogger, uniquingKeysWith: +)
        self.logCount += other.logCount
        self.errorLogCount += other.errorLogCount
        self.spanCount += other.spanCount
        self.errorSpanCount += other.errorSpanCount
        self.otherCount += other.otherCount
        self.durationsByName.merge(other.durationsByName, uniquingKeysWith: +)
        self.errorsByTrace.merge(other.errorsByTrace, uniquingKeysWith: +)
        if let first = other.first, self.first.map({ first < $0 }) ?? true { self.first = first }
        if let last = other.last, self.last.map({ last > $0 }) ?? true { self.last = last }
    }

    /// The figures `spanlog stats` prints.
    public func summary(slowest: Int = 10, errorTraces: Int = 20) -> StatisticsSummary {
        var spans: [StatisticsSummary.SpanDurations] = []
        for (name, durations) in self.durationsByName {
            let sorted = durations.sorted()
            spans.append(.init(
                name: name,
                count: sorted.count,
                p50: Self.percentile(sorted, 0.50),
                p95: Self.percentile(sorted, 0.95),
                max: sorted.last ?? 0
            ))
        }
        spans.sort { ($0.p95, $0.max, $1.name) > ($1.p95, $1.max, $0.name) }
        let traces = self.errorsByTrace.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let levelOrder = RecordLevel.allCases.map(\.description)
        return StatisticsSummary(
            records: self.logCount + self.spanCount + self.otherCount,
            logs: self.logCount,
            spans: self.spanCount,
            first: self.first,
            last: self.last,
            byLevel: self.logsByLevel.sorted { (levelOrder.firstIndex(of: $0.key) ?? 99, $0.key) < (levelOrder.firstIndex(of: $1.key) ?? 99, $1.key) }.map { ($0.key, $0.value) },
            byLogger: self.logsByLogger.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) },
            errorLogs: self.errorLogCount,
            errorSpans: self.errorSpanCount,
            slowestSpans: Array(spans.prefix(slowest)),
            tracesWithErrors: self.errorsByTrace.count,
            topErrorTraces: traces.prefix(errorTraces).map { ($0.key, $0.value) }
        )
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Int64], _ fraction: Double) -> Int64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
