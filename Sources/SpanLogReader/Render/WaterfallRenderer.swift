/// Draws a ``TraceTree`` as a terminal waterfall: one line per span (indented by depth) with a
/// bar placed and scaled on the trace's time line, its duration, status and key attributes, and
/// the span's log lines beneath it. All record text is escaped (``TerminalText``).
///
/// ```swift
/// let text = WaterfallRenderer(style: TerminalStyle(enabled: false), barWidth: 40).render(tree)
/// print(text, terminator: "")
/// ```
///
/// ```text
/// trace 4bf92f3577b34da6a3ce929d0e0e4736 · 3 spans · 125ms · 1 error
/// http.server            │████████████████████████████████████████│  125ms ok    http.route=/users/{id}
///   db.query             │    ██████                              │ 20.0ms error db.system=postgres
///       +6.00ms ERROR db: query failed
/// ```
public struct WaterfallRenderer: Sendable {
    /// Colours, or none.
    public var style: TerminalStyle
    /// Width of the bar column in characters.
    public var barWidth: Int
    /// At most this many attributes per span line.
    public var maximumAttributes: Int

    /// Attributes shown first when a span has them.
    static let preferredAttributes = [
        "http.method", "http.request.method", "http.route", "http.target", "url.path", "http.status_code",
        "http.response.status_code", "db.system", "db.operation", "rpc.method", "peer.service", "job.name",
    ]

    /// Creates a renderer.
    public init(style: TerminalStyle, barWidth: Int = 40, maximumAttributes: Int = 4) {
        self.style = style
        self.barWidth = max(10, barWidth)
        self.maximumAttributes = maximumAttributes
    }

    /// The waterfall, lines ending in `\n`.
    public func render(_ tree: TraceTree) -> String {
        let rows = tree.flattened
        let traceStart = tree.start?.nanosecondsSinceEpoch ?? 0
        let total = max(1, (tree.end ?? RecordTime(nanosecondsSinceEpoch: traceStart)).signedNanoseconds(since: RecordTime(nanosecondsSinceEpoch: traceStart)))
        let errors = rows.filter { $0.node.span?.isError ?? false }.count
        var output = self.style.paint("trace \(PrettyFormatter.sanitize(tree.traceID))", .bold)
        output += " · \(rows.count) span\(rows.count == 1 ? "" : "s") · \(DurationText.format(nanoseconds: total == 1 && rows.isEmpty ? 0 : total))"
        if errors > 0 { output += " · " + self.style.paint("\(errors) error\(errors == 1 ? "" : "s")", .boldRed) }
        output += "\n"
        let labels = rows.map { self.label(for: $0.node, depth: $0.depth) }
        let labelWidth = min(60, labels.map(\.count).max() ?? 0)
        for (index, row) in rows.enumerated() {
            let node = row.node
            var label = labels[index]
            if label.count > labelWidth { label = String(label.prefix(labelWidth - 1)) + "…" }
            label += String(repeating: " ", count: labelWidth - label.count)
            output += (node.hasError ? self.style.paint(label, .red) : label)
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
            output += "\n"
            let indent = String(repeating: "  ", count: row.depth + 2)
            for log in node.logs {
                output += indent + self.logLine(log, traceStart: traceStart) + "\n"
            }
        }
        if !tree.looseLogs.isEmpty {
            output += self.style.paint("logs of the trace outside any span:", .bold) + "\n"
            for log in tree.looseLogs {
                output += "    " + self.logLine(log, traceStart: traceStart) + "\n"
            }
        }
        return output
    }

    private func label(for node: TraceNode, depth: Int) -> String {
        let marker = node.isUnfinished ? "… " : (node.isOrphan ? "? " : "")
        return String(repeating: "  ", count: depth) + marker + PrettyFormatter.sanitize(node.name)
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

    private func logLine(_ log: LogLine, traceStart: Int64) -> String {
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
