/// Writes a ``TraceTree`` as one self-contained HTML page: the same waterfall as the terminal
/// (rendered in HTML, so it reads without JavaScript) — the time axis with its ticks, span rows
/// labelled as in the terminal (``SpanLabels``) with a marker on the bar for each log record,
/// and the log records interleaved with the child spans in time order — inline CSS, and a few
/// lines of inline JavaScript that show a span's attributes, events and logs when it (or one of
/// its log rows) is clicked. Nothing is loaded from the network. Error spans and error logs are
/// red.
///
/// Record data is embedded as JSON in a `<script type="application/json">` element with `<`, `>`
/// and `&` escaped, and the script builds the details with `textContent` only, so no log value
/// can inject markup.
///
/// ```swift
/// let html = HTMLRenderer().render(tree)
/// try html.write(toFile: "trace.html", atomically: true, encoding: .utf8)
/// ```
public struct HTMLRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The page.
    public func render(_ tree: TraceTree) -> String {
        let rows = tree.flattened
        let traceStart = tree.start?.nanosecondsSinceEpoch ?? 0
        let total = max(1, (tree.end ?? RecordTime(nanosecondsSinceEpoch: traceStart)).signedNanoseconds(since: RecordTime(nanosecondsSinceEpoch: traceStart)))
        let errorCount = rows.filter { $0.node.hasError }.count
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Trace \(Self.escape(tree.traceID))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header>
            <h1>Trace <code>\(Self.escape(tree.traceID))</code></h1>
            <p class="summary">\(rows.count) span\(rows.count == 1 ? "" : "s") · \(Self.escape(DurationText.format(nanoseconds: total))) · started \(Self.escape(tree.start?.rfc3339 ?? "?"))\(errorCount > 0 ? " · <span class=\"error-text\">\(errorCount) with errors</span>" : "")</p>
            </header>
            <main>
            <section id="waterfall" aria-label="Spans">

            """
        let names = SpanLabels(tree)
        let origin = RecordTime(nanosecondsSinceEpoch: traceStart)
        func offsetPercent(_ time: RecordTime?) -> Double {
            Double((time ?? origin).signedNanoseconds(since: origin)) / Double(total) * 100
        }
        let logText = WaterfallRenderer(style: TerminalStyle(enabled: false))
        if !rows.isEmpty {
            html += "<div class=\"axis\" aria-hidden=\"true\"><div class=\"label\"></div><div class=\"ticks\">"
            let ticks = TimeAxis(totalNanoseconds: total).ticks
            for (index, tick) in ticks.enumerated() {
                let position = index == 0 ? "first" : (index == ticks.count - 1 ? "last" : "mid")
                html += "<span class=\"tick \(position)\" style=\"left:\(Self.percent(tick.fraction * 100))%\">\(Self.escape(tick.label))</span>"
            }
            html += "</div><div class=\"duration\"></div><div class=\"status\"></div></div>\n"
        }
        for (entry, depth) in tree.timeline {
            guard case .span(let node) = entry else {
                guard case .log(let log) = entry else { continue }
                let level = log.level?.description ?? ""
                html += """
                    <div class="logrow\(log.isError ? " error" : (level == "warning" ? " warning" : ""))" data-span="\(Self.escape(log.spanID ?? ""))" tabindex="0" role="button">\
                    <div class="logtext" style="padding-left:\(Double(depth) * 1.2 + 1.6)em">\(Self.escape(logText.logLine(log, traceStart: traceStart)))</div></div>

                    """
                continue
            }
            var classes = ["row"]
            if node.hasError { classes.append("error") }
            if node.isUnfinished { classes.append("unfinished") }
            if node.isOrphan { classes.append("orphan") }
            let startOffset = offsetPercent(node.start)
            let width = max(0.3, Double(node.durationNanoseconds ?? 0) / Double(total) * 100)
            var markers = ""
            if node.isUnfinished { markers += " <span class=\"marker\">unfinished</span>" }
            if node.isOrphan { markers += " <span class=\"marker\" title=\"parent \(Self.escape(node.parentSpanID ?? "unknown")) not found\">orphan</span>" }
            if !node.logs.isEmpty { markers += " <span class=\"count\">\(node.logs.count) log\(node.logs.count == 1 ? "" : "s")</span>" }
            var logMarks = ""
            for log in node.logs {
                let level = log.level?.description ?? ""
                let kind = log.isError ? " error" : (level == "warning" ? " warning" : "")
                logMarks += "<span class=\"mark\(kind)\" style=\"left:\(Self.percent(min(offsetPercent(log.timestamp), 99.7)))%\" title=\"\(Self.escape(logText.logLine(log, traceStart: traceStart)))\"></span>"
            }
            html += """
                <div class="\(classes.joined(separator: " "))" data-span="\(Self.escape(node.spanID))" tabindex="0" role="button">\
                <div class="label" style="padding-left:\(Double(depth) * 1.2 + 0.4)em">\(Self.escape(names[node]))\(markers)</div>\
                <div class="track"><div class="bar" style="left:\(Self.percent(min(startOffset, 99.7)))%;width:\(Self.percent(min(width, 100 - min(startOffset, 99.7))))%"></div>\(logMarks)</div>\
                <div class="duration">\(Self.escape(node.durationNanoseconds.map { DurationText.format(nanoseconds: $0) } ?? "?"))</div>\
                <div class="status">\(Self.escape(node.status))</div></div>

                """
        }
        if !tree.looseLogs.isEmpty {
            html += "<div class=\"row loose\" data-span=\"\" tabindex=\"0\" role=\"button\"><div class=\"label\">logs outside any span <span class=\"count\">\(tree.looseLogs.count)</span></div><div class=\"track\"></div><div class=\"duration\"></div><div class=\"status\"></div></div>\n"
        }
        html += """
            </section>
            <aside id="details"><p class="hint">Click a span to see its attributes, events and logs.</p></aside>
            </main>
            <script type="application/json" id="trace-data">\(self.data(tree, traceStart: traceStart))</script>
            <script>\(Self.script)</script>
            </body>
            </html>

            """
        return html
    }

    private func data(_ tree: TraceTree, traceStart: Int64) -> String {
        var spans: [JSONObject.Member] = []
        let names = SpanLabels(tree)
        for (node, _) in tree.flattened {
            var members: [JSONObject.Member] = [
                .init(key: "name", value: .string(names[node])),
                .init(key: "status", value: .string(node.status)),
                .init(key: "unfinished", value: .bool(node.isUnfinished)),
                .init(key: "orphan", value: .bool(node.isOrphan)),
                .init(key: "span", value: node.span.map { .object($0.fields) } ?? .null),
                .init(key: "logs", value: .array(node.logs.map { .object($0.fields) })),
            ]
            if let duration = node.durationNanoseconds {
                members.append(.init(key: "duration", value: .string(DurationText.format(nanoseconds: duration))))
            }
            spans.append(.init(key: node.spanID, value: .object(JSONObject(members))))
        }
        spans.append(.init(key: "", value: .object(JSONObject([
            .init(key: "name", value: .string("logs outside any span")),
            .init(key: "status", value: .string("")),
            .init(key: "unfinished", value: .bool(false)),
            .init(key: "orphan", value: .bool(false)),
            .init(key: "span", value: .null),
            .init(key: "logs", value: .array(tree.looseLogs.map { .object($0.fields) })),
        ]))))
        return JSONWriter.string(.object(JSONObject([
            .init(key: "traceStart", value: .number(String(traceStart))),
            .init(key: "spans", value: .object(JSONObject(spans))),
        ])))
    }

    static func percent(_ value: Double) -> String {
        let clamped = max(0, min(100, value))
        return String((clamped * 100).rounded() / 100)
    }

    /// Escapes text for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    static let css = """
        :root{--fg:#1d2430;--muted:#6b7280;--line:#e5e7eb;--bar:#3b82f6;--err:#dc2626;--warn:#d97706;--bg:#fff}
        *{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;color:var(--fg);background:var(--bg)}
        header{padding:12px 16px;border-bottom:1px solid var(--line)}h1{font-size:18px;margin:0}code{font-family:ui-monospace,Menlo,monospace}
        .summary{margin:4px 0 0;color:var(--muted)}.error-text{color:var(--err);font-weight:600}
        main{display:flex;align-items:flex-start}#waterfall{flex:3;min-width:0;padding:8px 0}
        #details{flex:2;min-width:280px;max-height:100vh;overflow:auto;position:sticky;top:0;padding:12px 16px;border-left:1px solid var(--line)}
        .row{display:grid;grid-template-columns:minmax(180px,32%) 1fr 70px 80px;align-items:center;gap:8px;padding:3px 8px;cursor:pointer;border-bottom:1px solid #f3f4f6}
        .row:hover,.row:focus{background:#f1f5f9;outline:none}.row.selected{background:#e0ecff}
        .label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.track{position:relative;height:14px;background:#f8fafc;border-radius:3px}
        .bar{position:absolute;top:0;bottom:0;background:var(--bar);border-radius:3px;min-width:2px}
        .row.error .bar{background:var(--err)}.row.error .label,.row.error .status{color:var(--err);font-weight:600}
        .row.unfinished .bar{background:repeating-linear-gradient(45deg,var(--warn),var(--warn) 4px,#fde68a 4px,#fde68a 8px)}
        .duration{text-align:right;font-variant-numeric:tabular-nums;color:var(--muted)}.status{color:var(--muted)}
        .marker{font-size:11px;padding:0 4px;border-radius:3px;background:#fef3c7;color:#92400e;margin-left:4px}
        .count{font-size:11px;color:var(--muted);margin-left:4px}.hint{color:var(--muted)}
        table{border-collapse:collapse;width:100%;font-size:13px}td,th{text-align:left;padding:2px 6px;border-bottom:1px solid var(--line);vertical-align:top;word-break:break-all}
        h2{font-size:16px;margin:0 0 8px}h3{font-size:13px;margin:14px 0 4px;text-transform:uppercase;color:var(--muted)}
        .log{font-family:ui-monospace,Menlo,monospace;font-size:12px;padding:2px 0;border-bottom:1px solid #f3f4f6;white-space:pre-wrap;word-break:break-word}
        .log.error{color:var(--err)}.log.warning{color:var(--warn)}
        .axis{display:grid;grid-template-columns:minmax(180px,32%) 1fr 70px 80px;gap:8px;padding:0 8px 2px;border-bottom:1px solid var(--line);font-size:11px;color:var(--muted)}
        .ticks{position:relative;height:16px;border-bottom:1px solid #cbd5e1}.tick{position:absolute;bottom:0;white-space:nowrap;border-left:1px solid #cbd5e1;padding-left:2px}
        .tick.last{transform:translateX(-100%);border-left:0;border-right:1px solid #cbd5e1;padding:0 2px 0 0}
        .track{background-image:linear-gradient(to right,#e5e7eb 1px,transparent 1px);background-size:25% 100%}
        .mark{position:absolute;top:-2px;bottom:-2px;width:2px;margin-left:-1px;background:#111827;opacity:.7}.mark.error{background:var(--err);opacity:1;width:3px}.mark.warning{background:var(--warn);opacity:1}.row.error .mark.error{background:#7f1d1d}
        .logrow{padding:1px 8px;cursor:pointer;border-bottom:1px solid #f8fafc;color:var(--muted)}.logrow:hover,.logrow:focus{background:#f1f5f9;outline:none}
        .logtext{font-family:ui-monospace,Menlo,monospace;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        .logrow.error{color:var(--err)}.logrow.warning{color:var(--warn)}
        """

    static let script = """
        (function(){
        var data=JSON.parse(document.getElementById('trace-data').textContent);
        var details=document.getElementById('details');
        function el(tag,text,cls){var e=document.createElement(tag);if(text!==undefined&&text!==null)e.textContent=text;if(cls)e.className=cls;return e;}
        function fmt(v){return typeof v==='string'?v:JSON.stringify(v);}
        function table(obj){var t=el('table');Object.keys(obj).forEach(function(k){var r=el('tr');r.appendChild(el('th',k));r.appendChild(el('td',fmt(obj[k])));t.appendChild(r);});return t;}
        function show(id){
          var s=data.spans[id];if(!s)return;details.textContent='';
          details.appendChild(el('h2',s.name+(s.unfinished?' (unfinished)':'')+(s.orphan?' (orphan)':'')));
          if(s.span){var f={};['span_id','parent_span_id','kind','status','status_message','start','end','service'].forEach(function(k){if(s.span[k]!==undefined)f[k]=s.span[k];});
            if(s.duration)f.duration=s.duration;details.appendChild(table(f));
            details.appendChild(el('h3','Attributes'));details.appendChild(table(s.span.attributes||{}));
            var ev=s.span.events||[];details.appendChild(el('h3','Events ('+ev.length+')'));
            ev.forEach(function(e){var d=el('div',(e.timestamp||'')+' '+(e.name||''),'log'+(e.name==='exception'?' error':''));details.appendChild(d);if(e.attributes&&Object.keys(e.attributes).length)details.appendChild(table(e.attributes));});
          }else if(id){details.appendChild(el('p','No span record: the span never ended (or was not recorded). Its logs are below.','hint'));}
          details.appendChild(el('h3','Logs ('+s.logs.length+')'));
          s.logs.forEach(function(l){var extra={};Object.keys(l).forEach(function(k){if(['timestamp','record','level','logger','message','trace_id','span_id','trace_flags'].indexOf(k)<0)extra[k]=l[k];});
            var lv=l.level||'';var cls='log'+((lv==='error'||lv==='critical')?' error':(lv==='warning'?' warning':''));
            details.appendChild(el('div',(l.timestamp||'')+' '+lv.toUpperCase()+' '+(l.logger?l.logger+': ':'')+(l.message||'')+(Object.keys(extra).length?' '+JSON.stringify(extra):''),cls));});
          document.querySelectorAll('.row.selected').forEach(function(r){r.classList.remove('selected');});
          var row=document.querySelector('.row[data-span="'+(window.CSS&&CSS.escape?CSS.escape(id):id)+'"]');if(row)row.classList.add('selected');
        }
        document.querySelectorAll('.row,.logrow').forEach(function(r){
          r.addEventListener('click',function(){show(r.getAttribute('data-span'));});
          r.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();show(r.getAttribute('data-span'));}});
        });
        var first=document.querySelector('.row.error')||document.querySelector('.row');if(first)show(first.getAttribute('data-span'));
        })();
        """
}
