import Synchronization

/// `spanlog traces`: one ``TraceSummary`` per trace of the files that passes the filters,
/// sorted newest first or slowest first — Jaeger's search page, from the files alone.
///
/// Only span records are parsed (log lines are rejected on their first bytes). Memory is
/// bounded: at most ``maximumTraces`` summaries are held per reading thread and in the merged
/// table; past that the held summaries are cut to half the cap, keeping those that
/// pass the filters so far and rank first by the sort key, and ``Result/droppedTraces`` counts
/// the traces cut (a trace cut early can come back with its later spans only).
///
/// ```swift
/// var list = TraceList(scanner: scanner)
/// list.order = .slowest
/// list.onlyErrors = true
/// for trace in list.run().traces { print(trace.traceID, trace.durationNanoseconds) }
/// ```
package struct TraceList: Sendable {
    /// The sort order.
    package enum Order: Sendable {
        /// By start, newest first.
        case newest
        /// By duration, longest first.
        case slowest
    }

    /// What a run found.
    package struct Result: Sendable {
        /// The traces that pass the filters, sorted, at most ``TraceList/limit``.
        package var traces: [TraceSummary]
        /// How many traces passed the filters before the limit.
        package var matched: Int
        /// Traces cut because more than ``TraceList/maximumTraces`` were held.
        package var droppedTraces: Int
    }

    /// The default cap on the summaries held at once.
    package static let defaultMaximumTraces = 100_000

    package var scanner: LogScanner
    package var order = Order.newest
    package var limit = 20
    /// Only traces with an error span.
    package var onlyErrors = false
    /// Only traces at least this long (nanoseconds).
    package var minimumDuration: Int64?
    /// Only traces whose root's `http.route` is this, or starts with it followed by `/`.
    package var route: String?
    /// Only traces whose root's service is this.
    package var service: String?
    /// Only traces that started in this range.
    package var since: RecordTime?
    package var until: RecordTime?
    package var maximumTraces = TraceList.defaultMaximumTraces

    /// A list of the traces in `scanner`'s files.
    package init(scanner: LogScanner) {
        self.scanner = scanner
    }

    /// Whether `trace` passes the filters.
    package func matches(_ trace: TraceSummary) -> Bool {
        if self.onlyErrors, trace.errorCount == 0 { return false }
        if let minimumDuration = self.minimumDuration, trace.durationNanoseconds < minimumDuration { return false }
        if let route = self.route {
            guard let root = trace.route, root == route || (root.hasPrefix(route) && root.dropFirst(route.count).first == "/") else { return false }
        }
        if let service = self.service, trace.service != service { return false }
        if let since = self.since, trace.start < since.nanosecondsSinceEpoch { return false }
        if let until = self.until, trace.start > until.nanosecondsSinceEpoch { return false }
        return true
    }

    /// Whether `lhs` is listed before `rhs`.
    package func comesFirst(_ lhs: TraceSummary, _ rhs: TraceSummary) -> Bool {
        switch self.order {
        case .newest:
            if lhs.start != rhs.start { return lhs.start > rhs.start }
        case .slowest:
            if lhs.durationNanoseconds != rhs.durationNanoseconds { return lhs.durationNanoseconds > rhs.durationNanoseconds }
        }
        return lhs.traceID < rhs.traceID
    }

    /// Reads the files and lists the traces.
    package func run() -> Result {
        var query = RecordQuery()
        // A span that ended before `since` started before it: its trace cannot match. (Spans
        // ending after `until` can belong to a trace that started before it: no cut there.)
        query.since = self.since
        let prefilter = LinePrefilter(query: query, spansOnly: true)
        let scan = TimeBoundedScan(scanner: self.scanner, since: self.since, until: nil)
        let list = self
        let merged = Mutex(Table(list: list))
        scan.run({ _ in Table(list: list) }, line: { table, bytes, location in
            guard prefilter.mayMatch(bytes), let record = try? LogLine(bytes: bytes, location: location),
                  let summary = TraceSummary(span: record)
            else { return }
            table.add(summary)
        }, fileDone: { _, table in
            merged.withLock { $0.absorb(table) }
        })
        return merged.withLock { table in
            var matching = table.summaries.values.filter(list.matches)
            let matched = matching.count
            matching.sort(by: list.comesFirst)
            return Result(traces: Array(matching.prefix(max(0, list.limit))), matched: matched, droppedTraces: table.dropped)
        }
    }

    /// Summaries by trace id, cut back when past the cap.
    struct Table: Sendable {
        let list: TraceList
        var summaries: [String: TraceSummary] = [:]
        var dropped = 0

        init(list: TraceList) {
            self.list = list
        }

        mutating func add(_ summary: TraceSummary) {
            if let index = self.summaries.index(forKey: summary.traceID) {
                self.summaries.values[index].merge(summary)
            } else {
                self.summaries[summary.traceID] = summary
                if self.summaries.count > max(4, self.list.maximumTraces) { self.cut() }
            }
        }

        mutating func absorb(_ other: consuming Table) {
            for summary in other.summaries.values { self.add(summary) }
            self.dropped += other.dropped
        }

        /// Keeps the best half of the cap (so a cut comes at most once every cap / 2 new traces).
        private mutating func cut() {
            let list = self.list
            // Whether each passes the filters so far, worked out once, not in every comparison.
            var ranked = self.summaries.values.map { (passes: list.matches($0), summary: $0) }
            ranked.sort { lhs, rhs in
                if lhs.passes != rhs.passes { return lhs.passes }
                return list.comesFirst(lhs.summary, rhs.summary)
            }
            let keep = max(1, list.maximumTraces / 2)
            self.dropped += max(0, ranked.count - keep)
            self.summaries = Dictionary(uniqueKeysWithValues: ranked.prefix(keep).map { ($0.summary.traceID, $0.summary) })
        }
    }
}
