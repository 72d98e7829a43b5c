/// One record as one readable line, for `--pretty` output.
///
/// Logs: `time LEVEL logger: message key=value … [span id]`; spans: `time SPAN name duration
/// status key=value … [span id]`. Every piece of record text is escaped (``TerminalText``): a
/// record can never break the line or send a terminal sequence (C0, DEL, C1 controls).
///
/// ```swift
/// let formatter = PrettyFormatter(style: TerminalStyle(enabled: false))
/// print(formatter.format(record))
/// // 2026-11-25T15:04:05.123Z INFO  api: user signed in user=42 [4bf92f35…/00f067aa0ba902b7]
/// ```
public struct PrettyFormatter: Sendable {
    /// Colours, or none.
    public var style: TerminalStyle

    /// Creates a formatter.
    public init(style: TerminalStyle) {
        self.style = style
    }

    /// Fields not repeated as `key=value`, because the line shows them already.
    static let shownFields: Set<String> = [
        "timestamp", "record", "level", "logger", "source", "message", "trace_id", "span_id", "trace_flags",
        "name", "kind", "parent_span_id", "start", "end", "duration_ns", "status", "events", "links", "attributes",
    ]

    /// The record as one line.
    public func format(_ record: LogLine) -> String {
        var parts: [String] = []
        parts.append(self.style.paint(Self.shortTime(record), .gray))
        let level = record.level
        if record.kind == .span {
            let label = record.isError ? self.style.paint("SPAN ", .boldRed) : self.style.paint("SPAN ", .magenta)
            parts.append(label + " " + self.style.paint(Self.sanitize(record.name ?? "?"), .bold))
            if let duration = record.durationNanoseconds { parts.append(DurationText.format(nanoseconds: duration)) }
            let status = Self.sanitize(record.status ?? "unset")
            parts.append(status == "error" ? self.style.paint(status, .red) : status)
            if let message = record.string("status_message") { parts.append(Self.sanitize(message)) }
            for member in record.attributes.members {
                parts.append(self.style.paint(Self.sanitize(member.key) + "=", .dim) + Self.sanitize(member.value.plainText))
            }
        } else {
            let levelName = Self.sanitize((level?.description ?? record.string("level") ?? "?").uppercased())
            let padded = levelName.count < 5 ? levelName + String(repeating: " ", count: 5 - levelName.count) : levelName
            parts.append(self.style.paint(padded, TerminalStyle.attribute(for: level)))
            let logger = record.logger.map { Self.sanitize($0) + ":" } ?? ""
            parts.append(self.style.paint(logger, .cyan) + (logger.isEmpty ? "" : " ") + Self.sanitize(record.message ?? ""))
        }
        for member in record.fields.members where !Self.shownFields.contains(member.key) {
            parts.append(self.style.paint(Self.sanitize(member.key) + "=", .dim) + Self.sanitize(member.value.plainText))
        }
        if let traceID = record.traceID {
            let span = record.spanID.map { "/" + Self.sanitize($0) } ?? ""
            parts.append(self.style.paint("[\(Self.sanitize(String(traceID.prefix(8))))…\(span)]", .gray))
        }
        return parts.joined(separator: " ")
    }

    /// `HH:MM:SS.mmm` of the record's day, with the date: `2026-11-25T15:04:05.123Z`.
    static func shortTime(_ record: LogLine) -> String {
        guard let time = record.timestamp else { return Self.sanitize(record.string("timestamp") ?? "-") }
        let full = time.rfc3339
        return String(full.prefix(23)) + "Z"
    }

    /// Escapes control characters — C0 (ESC too), DEL and C1 (U+0080–U+009F: CSI, OSC) — so
    /// text stays on one line and cannot inject terminal sequences (``TerminalText/escaped(_:)``).
    public static func sanitize(_ text: String) -> String {
        TerminalText.escaped(text)
    }
}
