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
        // Sorted by (time, log before span, original order): the logs and the children keep
        // their own order among themselves.
        let none = Int64.max
        var keyed: [(time: Int64, rank: Int, index: Int, entry: TraceEntry)] = []
        keyed.reserveCapacity(self.logs.count + self.children.count)
        for (index, log) in self.logs.enumerated() {
            keyed.append((log.timestamp?.nanosecondsSinceEpoch ?? none, 0, index, .log(log)))
        }
        for (index, child) in self.children.enumerated() {
            keyed.append((child.start?.nanosecondsSinceEpoch ?? none, 1, index, .span(child)))
        }
        keyed.sort { ($0.time, $0.rank, $0.index) < ($1.time, $1.rank, $1.index) }
        return keyed.map(\.entry)
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
