/// Draws a ``TraceTree`` as a terminal waterfall: a time axis with ticks at quarters of the
/// trace's duration, then one line per span (indented by depth) with a bar placed and scaled on
/// the trace's time line, its duration, status and key attributes; under each span its log
/// records and child spans in the order they happened (``TraceNode/timeline``). Spans that share
/// a name are labelled with their HTTP method and route (``SpanLabels``). All record text is
/// escaped (``TerminalText``), and with ``lineWidth`` every line is cut to the terminal's width.
///
/// ```swift
/// let text = WaterfallRenderer(style: TerminalStyle(enabled: false), barWidth: 40).render(tree)
/// print(text, terminator: "")
/// ```
///
/// ```text
/// trace 4bf92f3577b34da6a3ce929d0e0e4736 · 4 spans · 100ms · 1 error
///                             0      25.0ms     50.0ms    75.0ms   100ms
///                             ├─────────┼──────────┼─────────┼─────────┤
/// http.server GET /users/{id} │████████████████████████████████████████│   100ms ok    http.route=/users/{id}
///     +1.00ms INFO api: request received
///   http.client               │  ████████████                          │  30.0ms ok    server.address=users-api
///     +36.0ms INFO api: users-api answered
///   http.server POST /orders  │                ████████                │  20.0ms error http.route=/orders
///       +55.0ms ERROR api: order rejected
/// ```
public struct WaterfallRenderer: Sendable {
    /// Colours, or none.
    public var style: TerminalStyle
    /// Width of the bar column in characters.
    public var barWidth: Int
    /// At most this many attributes per span line.
    public var maximumAttributes: Int
    /// When set, every line is cut to this many columns (the terminal's width), ending in `…`.
    public var lineWidth: Int?

    /// Attributes shown first when a span has them.
    static let preferredAttributes = [
        "http.method", "http.request.method", "http.route", "http.target", "url.path", "http.status_code",
        "http.response.status_code", "db.system", "db.operation", "rpc.method", "peer.service", "job.name",
    ]

    /// Creates a renderer.
    public init(style: TerminalStyle, barWidth: Int = 40, maximumAttributes: Int = 4, lineWidth: Int? = nil) {
        self.style = style
        self.barWidth = max(10, barWidth)
        self.maximumAttributes = maximumAttributes
        self.lineWidth = lineWidth.map { max(20, $0) }
    }

    /// The waterfall, lines ending in `\n`.
    public func render(_ tree: TraceTree) -> String {
        let rows = tree.flattened
        let traceStart = tree.start?.nanosecondsSinceEpoch ?? 0
        let total = max(1, (tree.end ?? RecordTime(nanosecondsSinceEpoch: traceStart)).signedNanoseconds(since: RecordTime(nanosecondsSinceEpoch: traceStart)))
        let errors = rows.filter { $0.node.span?.isError ?? false }.count
        var lines: [String] = []
        var header = self.style.paint("trace \(PrettyFormatter.sanitize(tree.traceID))", .bold)
        header += " · \(rows.count) span\(rows.count == 1 ? "" : "s") · \(DurationText.format(nanoseconds: total == 1 && rows.isEmpty ? 0 : total))"
        if errors > 0 { header += " · " + self.style.paint("\(errors) error\(errors == 1 ? "" : "s")", .boldRed) }
        lines.append(header)
        let names = SpanLabels(tree)
        let labels = Dictionary(rows.map { ($0.node.spanID, self.label(for: $0.node, depth: $0.depth, names: names)) }, uniquingKeysWith: { first, _ in first })
        var labelWidth = min(60, labels.values.map(\.count).max() ?? 0)
        if let lineWidth = self.lineWidth {
            // Keep room for the bar and the duration: the label gives way first.
            labelWidth = max(12, min(labelWidth, lineWidth - self.barWidth - 12))
        }
        if !rows.isEmpty {
            let axis = TimeAxis(totalNanoseconds: total).terminalLines(barWidth: self.barWidth)
            let padding = String(repeating: " ", count: labelWidth + 1)
            lines.append(padding + self.style.paint(axis.labels, .gray))
            lines.append(padding + self.style.paint(axis.axis, .gray))
        }
        for (entry, depth) in tree.timeline {
            switch entry {
            case .span(let node):
                lines.append(self.spanLine(node, label: labels[node.spanID] ?? node.name, labelWidth: labelWidth, traceStart: traceStart, total: total))
            case .log(let log):
                lines.append(String(repeating: "  ", count: depth + 2) + self.logLine(log, traceStart: traceStart))
            }
        }
        if !tree.looseLogs.isEmpty {
            lines.append(self.style.paint("logs of the trace outside any span:", .bold))
            for log in tree.looseLogs {
                lines.append("    " + self.logLine(log, traceStart: traceStart))
            }
        }
        var output = ""
        for line in lines {
            output += (self.lineWidth.map { TerminalLine.fit(line, columns: $0) } ?? line) + "\n"
        }
        return output
    }

    private func spanLine(_ node: TraceNode, label text: String, labelWidth: Int, traceStart: Int64, total: Int64) -> String {
        var label = text
        if label.count > labelWidth { label = String(label.prefix(labelWidth - 1)) + "…" }
        label += String(repeating: " ", count: labelWidth - label.count)
        var output = node.hasError ? self.style.paint(label, .red) : label
        output += " " + self.bar(for: node, traceStart: traceStart, total: total)
        let duration = node.durationNanoseconds.map { DurationText.format(nanoseconds: $0) } ?? "?"
        output += " " + String(repeating: " ", count: max(0, 7 - duration.count)) + duration
        var trailer: [String] = []
        let attributes = self.keyAttributes(node)
        if !attributes.isEmpty { trailer.append(self.style.paint(attributes, .dim)) }
        if node.isOrphan, let parent = node.parentSpanID {
            trailer.append(self.style.paint("(orphan: parent \(PrettyFormatter.sanitize(parent)) not found)", .yellow))
        } else if node.isOrphan {
            trailer.append(self.style.paint("(orphan: parent unknown)", .yellow))
        }
        output += " " + self.statusText(node, padded: !trailer.isEmpty)
        for part in trailer { output += " " + part }
        return output
    }

    private func label(for node: TraceNode, depth: Int, names: SpanLabels) -> String {
        let marker = node.isUnfinished ? "… " : (node.isOrphan ? "? " : "")
        return String(repeating: "  ", count: depth) + marker + PrettyFormatter.sanitize(names[node])
    }

    private func bar(for node: TraceNode, traceStart: Int64, total: Int64) -> String {
        var cells = Array(repeating: " ", count: self.barWidth)
        if let start = node.start {
            let end = node.end ?? start
            let origin = RecordTime(nanosecondsSinceEpoch: traceStart)
            // Clamped before the conversion: a far-off time must not overflow Int.
            func cell(_ time: RecordTime, _ rule: FloatingPointRoundingRule) -> Int {
                let position = Double(time.signedNanoseconds(since: origin)) / Double(total) * Double(self.barWidth)
                return Int(min(max(position, -1), Double(self.barWidth) + 1).rounded(rule))
            }
            let from = cell(start, .down)
            let to = cell(end, .up)
            let first = min(max(0, from), self.barWidth - 1)
            let last = min(self.barWidth, max(first + 1, to))
            let glyph = node.isUnfinished ? "░" : "█"
            for index in first..<last { cells[index] = glyph }
        }
        let attribute: TerminalStyle.Attribute = node.hasError ? .red : (node.isUnfinished ? .yellow : .blue)
        return "│" + self.style.paint(cells.joined(), attribute) + "│"
    }

    private func statusText(_ node: TraceNode, padded pad: Bool) -> String {
        let status = PrettyFormatter.sanitize(node.status)
        let padded = pad ? status + String(repeating: " ", count: max(0, 5 - status.count)) : status
        switch status {
        case "error": return self.style.paint(padded, .boldRed)
        case "unfinished": return self.style.paint(padded, .yellow)
        case "ok": return self.style.paint(padded, .green)
        default: return padded
        }
    }

    private func keyAttributes(_ node: TraceNode) -> String {
        guard let span = node.span else { return "" }
        let attributes = span.attributes
        var chosen: [JSONObject.Member] = []
        for key in Self.preferredAttributes {
            if let value = attributes[key] { chosen.append(.init(key: key, value: value)) }
        }
        for member in attributes.members where !chosen.contains(where: { $0.key == member.key }) {
            chosen.append(member)
        }
        var text = chosen.prefix(self.maximumAttributes).map { PrettyFormatter.sanitize("\($0.key)=\($0.value.plainText)") }
        if let message = span.string("status_message") { text.insert(PrettyFormatter.sanitize("\"\(message)\""), at: 0) }
        return text.joined(separator: " ")
    }

    /// One log record as a waterfall line: offset from the trace's start, level, logger, message, fields.
    func logLine(_ log: LogLine, traceStart: Int64) -> String {
        let offset = log.timestamp.map { "+" + DurationText.format(nanoseconds: $0.signedNanoseconds(since: RecordTime(nanosecondsSinceEpoch: traceStart))) } ?? "?"
        let level = log.level
        let levelText = (level?.description ?? "?").uppercased()
        var line = self.style.paint(offset, .gray) + " " + self.style.paint(levelText, TerminalStyle.attribute(for: level))
        if let logger = log.logger { line += " " + self.style.paint(PrettyFormatter.sanitize(logger) + ":", .cyan) }
        line += " " + PrettyFormatter.sanitize(log.message ?? "")
        for member in log.fields.members where !PrettyFormatter.shownFields.contains(member.key) {
            line += " " + self.style.paint(PrettyFormatter.sanitize(member.key) + "=", .dim) + PrettyFormatter.sanitize(member.value.plainText)
        }
        return line
    }
}
