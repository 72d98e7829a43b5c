import Foundation

/// Rebuilds one trace from the records of the demo's log files and draws it as a terminal
/// waterfall: spans nested by `parent_span_id`, a bar per span on a shared time axis, and each
/// span's log lines under it.
enum DemoWaterfall {
    private struct SpanRow {
        var name: String
        var kind: String
        var spanID: String
        var parentID: String?
        var start: Int64
        var duration: Int64
        var status: String
        var attributes: [String: Any]
        var events: [[String: Any]]
    }

    /// The waterfall of `traceID`, or `nil` if the records hold no span of it.
    static func render(traceID: String, records: [[String: Any]], width: Int = 40) -> String? {
        let ofTrace = records.filter { ($0["trace_id"] as? String) == traceID }
        let spans: [SpanRow] = ofTrace.compactMap { record in
            guard (record["record"] as? String) == "span",
                let name = record["name"] as? String,
                let spanID = record["span_id"] as? String,
                let start = (record["start"] as? String).flatMap(Self.nanoseconds),
                let duration = (record["duration_ns"] as? NSNumber)?.int64Value
            else { return nil }
            return SpanRow(
                name: name, kind: record["kind"] as? String ?? "", spanID: spanID,
                parentID: record["parent_span_id"] as? String, start: start, duration: duration,
                status: record["status"] as? String ?? "unset",
                attributes: record["attributes"] as? [String: Any] ?? [:],
                events: record["events"] as? [[String: Any]] ?? []
            )
        }
        guard !spans.isEmpty else { return nil }
        let logs = ofTrace.filter { ($0["record"] as? String) == "log" }
        let traceStart = spans.map(\.start).min()!
        let traceEnd = spans.map { $0.start + $0.duration }.max()!
        let total = max(traceEnd - traceStart, 1)
        let ids = Set(spans.map(\.spanID))
        let roots = spans.filter { $0.parentID.map { !ids.contains($0) } ?? true }.sorted { $0.start < $1.start }

        var lines: [String] = []
        lines.append("trace \(traceID)  (\(spans.count) spans, \(logs.count) log lines, \(Self.milliseconds(total)))")
        func draw(_ span: SpanRow, depth: Int) {
            let offset = Int((span.start - traceStart) * Int64(width) / total)
            let length = max(1, Int(span.duration * Int64(width) / total))
            let bar = String(repeating: " ", count: min(offset, width - 1)) + String(repeating: "█", count: min(length, width - min(offset, width - 1)))
            let padded = bar + String(repeating: " ", count: max(0, width - bar.count))
            var label = String(repeating: "  ", count: depth) + span.name + " (\(span.kind))"
            var details: [String] = []
            if let route = span.attributes["http.route"] { details.append("\(span.attributes["http.method"] ?? "") \(route)") }
            if let status = span.attributes["http.status_code"] { details.append("→ \(status)") }
            if let service = span.attributes["external.service"] { details.append("service=\(service)") }
            if let job = span.attributes["job.type"] { details.append("job=\(job)") }
            if span.status == "error" { details.append("ERROR") }
            if !details.isEmpty { label += "  " + details.joined(separator: " ") }
            lines.append("|\(padded)| \(Self.milliseconds(span.duration).leftPadded(9))  \(label)")
            for event in span.events {
                let attributes = event["attributes"] as? [String: Any] ?? [:]
                let message = attributes["exception.message"].map { ": \($0)" } ?? ""
                lines.append(String(repeating: " ", count: width + 15) + String(repeating: "  ", count: depth) + "  ! \(event["name"] ?? "event")\(message)")
            }
            for log in logs where (log["span_id"] as? String) == span.spanID {
                let level = log["level"] as? String ?? ""
                let message = log["message"] as? String ?? ""
                lines.append(String(repeating: " ", count: width + 15) + String(repeating: "  ", count: depth) + "  · \(level) \(message)")
            }
            for child in spans.filter({ $0.parentID == span.spanID }).sorted(by: { $0.start < $1.start }) {
                draw(child, depth: depth + 1)
            }
        }
        for root in roots { draw(root, depth: 0) }
        return lines.joined(separator: "\n")
    }

    /// Nanoseconds since the epoch of `2026-11-25T15:04:05.123456789Z`.
    static func nanoseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
                value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var fraction: Int64 = 0
        if bytes[19] == UInt8(ascii: ".") {
            var digits = 0
            var index = 20
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                if digits < 9 { fraction = fraction * 10 + Int64(bytes[index] - UInt8(ascii: "0")); digits += 1 }
                index += 1
            }
            while digits < 9 { fraction *= 10; digits += 1 }
        }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return ((days * 86_400 + hour * 3_600 + minute * 60 + second) * 1_000_000_000) + fraction
    }

    static func milliseconds(_ nanoseconds: Int64) -> String {
        let tenths = (nanoseconds + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10) ms"
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - self.count)) + self
    }
}
