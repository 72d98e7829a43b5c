/// The names spans are shown with in the waterfall (terminal and HTML): the span's name, and —
/// when other spans of the trace have the same name — its HTTP method and route, so ten
/// `http.server` rows read `http.server GET /users/{id}`, `http.server POST /orders`.
///
/// The method is `http.request.method` (semantic conventions) or `http.method` (older ones); the
/// route is `http.route`, else `url.template`. A span without either keeps its bare name.
///
/// ```swift
/// let labels = SpanLabels(tree)
/// labels[node]   // "http.server GET /users/{id}"
/// ```
package struct SpanLabels: Sendable {
    private var bySpanID: [String: String] = [:]

    /// Attribute keys read for the method, first found wins.
    static let methodKeys = ["http.request.method", "http.method"]
    /// Attribute keys read for the route, first found wins.
    static let routeKeys = ["http.route", "url.template"]

    /// Labels for every span of `tree`.
    package init(_ tree: TraceTree) {
        let nodes = tree.flattened.map(\.node)
        var counts: [String: Int] = [:]
        for node in nodes { counts[node.name, default: 0] += 1 }
        for node in nodes {
            var label = node.name
            if counts[node.name, default: 0] > 1, let detail = Self.detail(node) {
                label += " " + detail
            }
            self.bySpanID[node.spanID] = label
        }
    }

    /// The label of a span of the tree (its name when it is not in the tree).
    package subscript(_ node: TraceNode) -> String {
        self.bySpanID[node.spanID] ?? node.name
    }

    /// `GET /users/{id}`, `GET`, `/users/{id}`, or `nil` when the span has neither.
    static func detail(_ node: TraceNode) -> String? {
        guard let attributes = node.span?.attributes else { return nil }
        func first(_ keys: [String]) -> String? {
            for key in keys {
                if let value = attributes[key], case let text = value.plainText, !text.isEmpty { return text }
            }
            return nil
        }
        let parts = [first(Self.methodKeys), first(Self.routeKeys)].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
