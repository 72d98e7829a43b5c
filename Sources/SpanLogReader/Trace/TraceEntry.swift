/// One line of a span's time line: one of its log records or one of its child spans, in the
/// order they happened (``TraceNode/timeline``).
///
/// A log record made between two child spans comes between them, so "users-api answered" shows
/// below the call it answers, not above it.
///
/// ```swift
/// for (entry, depth) in tree.timeline {
///     switch entry {
///     case .span(let node): print(String(repeating: "  ", count: depth) + node.name)
///     case .log(let log): print(String(repeating: "  ", count: depth + 1) + (log.message ?? ""))
///     }
/// }
/// ```
public enum TraceEntry: Sendable {
    /// A span (its own children are in its ``TraceNode/timeline``).
    case span(TraceNode)
    /// A log record of the span above it.
    case log(LogLine)
}

extension TraceNode {
    /// This span's log records and child spans merged in time order: a log by its `timestamp`, a
    /// child by its start. A log made at the very instant a child starts comes first (it was
    /// written before the child began); records without a time come last, in their order.
    public var timeline: [TraceEntry] {
        var entries: [TraceEntry] = []
        entries.reserveCapacity(self.logs.count + self.children.count)
        var logIndex = 0
        var childIndex = 0
        func key(_ time: RecordTime?) -> Int64 { time?.nanosecondsSinceEpoch ?? Int64.max }
        while logIndex < self.logs.count || childIndex < self.children.count {
            if childIndex == self.children.count
                || (logIndex < self.logs.count && key(self.logs[logIndex].timestamp) <= key(self.children[childIndex].start))
            {
                entries.append(.log(self.logs[logIndex]))
                logIndex += 1
            } else {
                entries.append(.span(self.children[childIndex]))
                childIndex += 1
            }
        }
        return entries
    }
}

extension TraceTree {
    /// Every span and log record of the spans, depth first and in time order under each span,
    /// with the depth of the span (a log record has the depth of the span it belongs to).
    /// Logs outside any span (``looseLogs``) are not included.
    public var timeline: [(entry: TraceEntry, depth: Int)] {
        var result: [(TraceEntry, Int)] = []
        func walk(_ node: TraceNode, _ depth: Int) {
            result.append((.span(node), depth))
            for entry in node.timeline {
                switch entry {
                case .span(let child): walk(child, depth + 1)
                case .log: result.append((entry, depth))
                }
            }
        }
        self.roots.forEach { walk($0, 0) }
        return result
    }
}
