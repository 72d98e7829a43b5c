/// A trace rebuilt from its records: spans nested by `parent_span_id`, each with the log records
/// that carry its `span_id`.
///
/// - A span that has log records but no span record (it never ended: the process was killed) is
///   a node with ``TraceNode/isUnfinished`` set, spanning its first to last log record.
/// - A span whose parent is not in the files hangs under the root (the earliest root span) with
///   ``TraceNode/isOrphan`` set; with no root span at all, it is a top-level node. An unfinished
///   span (whose parent is unknown) hangs there too, marked unfinished only; spans that ended
///   inside it nest under it as usual.
/// - Log records of the trace without a `span_id` are kept in ``looseLogs``.
///
/// ```swift
/// let records = scanner.records(ofTrace: id)
/// let tree = TraceTree(traceID: id, records: records)
/// print(WaterfallRenderer().render(tree))
/// ```
public struct TraceTree: Sendable {
    /// The trace id.
    public var traceID: String
    /// Top-level nodes: root spans (and orphans when there is no root), earliest first.
    public var roots: [TraceNode]
    /// Log records of the trace that carry no `span_id`.
    public var looseLogs: [LogLine]
    /// Earliest start (or record time) in the trace.
    public var start: RecordTime?
    /// Latest end (or record time) in the trace.
    public var end: RecordTime?

    /// Builds the tree from the records of one trace (in any order).
    public init(traceID: String, records: [LogLine]) {
        self.traceID = traceID
        let sorted = LogScanner.sortedByTime(records.filter { $0.traceID == traceID })
        var spans: [String: LogLine] = [:]
        var spanOrder: [String] = []
        var logsBySpan: [String: [LogLine]] = [:]
        var loose: [LogLine] = []
        for record in sorted {
            switch record.kind {
            case .span:
                guard let spanID = record.spanID else { continue }
                if spans[spanID] == nil { spanOrder.append(spanID) }
                spans[spanID] = record
            default:
                if let spanID = record.spanID {
                    logsBySpan[spanID, default: []].append(record)
                } else {
                    loose.append(record)
                }
            }
        }
        // Nodes for ended spans, then unfinished ones (logs but no span record).
        var nodes: [String: TraceNode] = [:]
        for spanID in spanOrder {
            nodes[spanID] = TraceNode(spanID: spanID, span: spans[spanID], logs: logsBySpan[spanID] ?? [])
        }
        for (spanID, logs) in logsBySpan where nodes[spanID] == nil {
            nodes[spanID] = TraceNode(spanID: spanID, span: nil, logs: logs)
        }
        // Nest by parent.
        var children: [String: [String]] = [:]
        var topLevel: [String] = []
        var orphans: [String] = []
        var detached: [String] = []
        for (spanID, node) in nodes {
            if let parent = node.parentSpanID {
                if nodes[parent] != nil, parent != spanID {
                    children[parent, default: []].append(spanID)
                } else {
                    orphans.append(spanID)
                }
            } else if node.isUnfinished {
                // An unfinished span's parent is unknown (it has no span record): it hangs under
                // the root like an orphan, marked unfinished only.
                detached.append(spanID)
            } else {
                topLevel.append(spanID)
            }
        }
        func startKey(_ spanID: String) -> (Int64, String) {
            (nodes[spanID]?.start?.nanosecondsSinceEpoch ?? Int64.max, spanID)
        }
        var visiting: Set<String> = []
        func build(_ spanID: String) -> TraceNode {
            var node = nodes[spanID]!
            visiting.insert(spanID)
            node.children = (children[spanID] ?? [])
                .filter { !visiting.contains($0) }
                .sorted { startKey($0) < startKey($1) }
                .map(build)
            visiting.remove(spanID)
            return node
        }
        topLevel.sort { startKey($0) < startKey($1) }
        orphans.sort { startKey($0) < startKey($1) }
        var roots = topLevel.map(build)
        var orphanNodes = orphans.map { spanID -> TraceNode in
            var node = build(spanID)
            node.isOrphan = true
            return node
        }
        orphanNodes += detached.sorted { startKey($0) < startKey($1) }.map(build)
        // Spans caught in a parent cycle are reachable from nowhere: show them as orphans.
        var reached: Set<String> = []
        func mark(_ node: TraceNode) {
            reached.insert(node.spanID)
            node.children.forEach(mark)
        }
        (roots + orphanNodes).forEach(mark)
        for spanID in nodes.keys.sorted(by: { startKey($0) < startKey($1) }) where !reached.contains(spanID) {
            var node = nodes[spanID]!
            node.isOrphan = true
            orphanNodes.append(node)
            reached.insert(spanID)
        }
        if roots.isEmpty {
            roots = orphanNodes
        } else {
            roots[0].children = (roots[0].children + orphanNodes).sorted { ($0.start?.nanosecondsSinceEpoch ?? Int64.max) < ($1.start?.nanosecondsSinceEpoch ?? Int64.max) }
        }
        self.roots = roots
        self.looseLogs = loose
        let starts = nodes.values.compactMap(\.start) + loose.compactMap(\.timestamp)
        let ends = nodes.values.compactMap(\.end) + loose.compactMap(\.timestamp)
        self.start = starts.min()
        self.end = ends.max()
    }

    /// Every node, depth first, with its depth (roots at 0).
    public var flattened: [(node: TraceNode, depth: Int)] {
        var result: [(TraceNode, Int)] = []
        func walk(_ node: TraceNode, _ depth: Int) {
            result.append((node, depth))
            node.children.forEach { walk($0, depth + 1) }
        }
        self.roots.forEach { walk($0, 0) }
        return result
    }

    /// How many spans the tree holds (unfinished ones included).
    public var spanCount: Int { self.flattened.count }

    /// Whether anything in the trace is an error.
    public var hasError: Bool {
        self.flattened.contains { $0.node.hasError } || self.looseLogs.contains(where: \.isError)
    }
}

/// One span in a ``TraceTree``.
///
/// ```swift
/// for (node, depth) in tree.flattened {
///     print(String(repeating: "  ", count: depth) + node.name, node.logs.count)
/// }
/// ```
public struct TraceNode: Sendable {
    /// The span's id.
    public var spanID: String
    /// The span record; `nil` for an unfinished span.
    public var span: LogLine?
    /// The log records that carry this span's id, in time order.
    public var logs: [LogLine]
    /// Child spans, earliest start first.
    public var children: [TraceNode] = []
    /// Set when the parent span is not in the files.
    public var isOrphan = false

    /// Creates a node.
    public init(spanID: String, span: LogLine?, logs: [LogLine]) {
        self.spanID = spanID
        self.span = span
        self.logs = logs
    }

    /// `true` when there is no span record (the span never ended).
    public var isUnfinished: Bool { self.span == nil }
    /// The operation name (`"(unfinished span)"` when unknown).
    public var name: String { self.span?.name ?? "(unfinished span)" }
    /// `parent_span_id` of the span record.
    public var parentSpanID: String? { self.span?.parentSpanID }
    /// `start`, or the first log's time for an unfinished span.
    public var start: RecordTime? { self.span?.start ?? self.logs.first?.timestamp }
    /// `end`, or the last log's time for an unfinished span.
    public var end: RecordTime? { self.span?.end ?? self.logs.last?.timestamp }
    /// `duration_ns`, or the spread of the logs for an unfinished span.
    public var durationNanoseconds: Int64? {
        if let span = self.span { return span.durationNanoseconds }
        guard let start = self.start, let end = self.end else { return nil }
        return end.signedNanoseconds(since: start)
    }
    /// `status` (`"unfinished"` for an unfinished span).
    public var status: String { self.span?.status ?? "unfinished" }
    /// Whether the span or one of its logs is an error.
    public var hasError: Bool {
        (self.span?.isError ?? false) || self.logs.contains(where: \.isError)
    }
}
