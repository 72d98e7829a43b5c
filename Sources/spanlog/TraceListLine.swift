import SpanLogReader

/// How `spanlog traces` prints a trace: one aligned line, or one JSON object.
///
/// ```
/// 2026-11-25T15:04:05.125Z   1.20s  12 spans  1 error   checkout  http.server GET /checkout  4bf92f3577b34da6a3ce929d0e0e4736
/// {"trace_id":"4bf9…","root":"http.server","route":"/checkout","method":"GET","service":"checkout","start":"2026-11-25T15:04:05.125000000Z","duration_ns":1200000000,"spans":12,"errors":1,"root_missing":false}
/// ```
enum TraceListLine {
    static func text(_ trace: TraceSummary) -> String {
        let stamp = RecordTime(nanosecondsSinceEpoch: trace.start).rfc3339
        let start = stamp.count == 30 ? String(stamp.prefix(23)) + "Z" : stamp
        var root = trace.rootName
        if let method = trace.method { root += " " + method }
        if let route = trace.route { root += " " + route }
        if trace.rootMissing { root += " (root missing)" }
        let fields = [
            start,
            pad(DurationText.format(nanoseconds: trace.durationNanoseconds), 8, left: true),
            pad("\(trace.spanCount) span" + (trace.spanCount == 1 ? "" : "s"), 10, left: true),
            pad("\(trace.errorCount) error" + (trace.errorCount == 1 ? "" : "s"), 9),
            pad(trace.service ?? "-", 12),
            root,
            trace.traceID,
        ]
        return TerminalText.escaped(fields.joined(separator: "  "))
    }

    static func json(_ trace: TraceSummary) -> String {
        var object: [(String, JSONValue)] = [("trace_id", .string(trace.traceID)), ("root", .string(trace.rootName))]
        if let route = trace.route { object.append(("route", .string(route))) }
        if let method = trace.method { object.append(("method", .string(method))) }
        if let service = trace.service { object.append(("service", .string(service))) }
        object += [
            ("start", .string(RecordTime(nanosecondsSinceEpoch: trace.start).rfc3339)),
            ("duration_ns", .number(String(trace.durationNanoseconds))),
            ("spans", .number(String(trace.spanCount))),
            ("errors", .number(String(trace.errorCount))),
            ("root_missing", .bool(trace.rootMissing)),
        ]
        return TerminalText.escapedJSONLine(JSONWriter.string(.object(JSONObject(object.map { JSONObject.Member(key: $0.0, value: $0.1) }))))
    }

    private static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? fill + text : text + fill
    }
}
