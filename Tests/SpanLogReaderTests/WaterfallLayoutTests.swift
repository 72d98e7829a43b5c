import Foundation
@testable import SpanLogReader
import Testing

/// A trace shaped like a request that calls out: the root span's logs fall before, between and
/// after its two children; two `http.server` spans share a name.
struct InterleavedFixture {
    static let base = RecordTime(rfc3339: "2026-11-25T15:00:00Z")!
    let trace = randomHex(32)
    let root = randomHex(16)
    let firstCall = randomHex(16)
    let secondCall = randomHex(16)
    let inner = randomHex(16)

    func at(_ milliseconds: Int64) -> RecordTime { Self.base + milliseconds * 1_000_000 }

    var lines: [String] {
        [
            spanRecord(trace: self.trace, span: self.root, parent: nil, name: "http.server", start: self.at(0), durationMilliseconds: 100, kind: "server",
                       attributes: #"{"http.request.method":"GET","http.route":"/users/{id}"}"#),
            logRecord(at: self.at(1), message: "request received", trace: self.trace, span: self.root),
            spanRecord(trace: self.trace, span: self.firstCall, parent: self.root, name: "http.client", start: self.at(5), durationMilliseconds: 30, kind: "client",
                       attributes: #"{"http.request.method":"GET"}"#),
            logRecord(at: self.at(20), level: "debug", message: "waiting for users-api", trace: self.trace, span: self.firstCall),
            logRecord(at: self.at(36), message: "users-api answered", trace: self.trace, span: self.root),
            spanRecord(trace: self.trace, span: self.secondCall, parent: self.root, name: "db.query", start: self.at(40), durationMilliseconds: 20),
            spanRecord(trace: self.trace, span: self.inner, parent: self.secondCall, name: "http.server", start: self.at(45), durationMilliseconds: 10,
                       status: "error", kind: "server", attributes: #"{"http.method":"POST","http.route":"/orders"}"#),
            logRecord(at: self.at(90), message: "response sent", trace: self.trace, span: self.root),
        ]
    }

    func tree() throws -> TraceTree {
        TraceTree(traceID: self.trace, records: try self.lines.map { try LogLine(text: $0) }.shuffled())
    }
}

@Suite("waterfall: time axis, logs interleaved with child spans, labels, escaping, width")
struct WaterfallLayoutTests {
    @Test("a log made between two child spans comes between them, in the tree's timeline and in the terminal")
    func interleaving() throws {
        let fixture = InterleavedFixture()
        let tree = try fixture.tree()
        let root = try #require(tree.roots.first)
        let order = root.timeline.map { entry -> String in
            switch entry {
            case .span(let node): return node.name
            case .log(let log): return log.message ?? "?"
            }
        }
        #expect(order == ["request received", "http.client", "users-api answered", "db.query", "response sent"])
        #expect(tree.timeline.map(\.depth) == [0, 0, 1, 1, 0, 1, 2, 0])

        let text = WaterfallRenderer(style: TerminalStyle(enabled: false), barWidth: 20).render(tree)
        let lines = text.split(separator: "\n").map(String.init)
        func index(_ needle: String) throws -> Int { try #require(lines.firstIndex { $0.contains(needle) }, "\(needle) in\n\(text)") }
        #expect(try index("request received") < index("  http.client"))
        #expect(try index("  http.client") < index("waiting for users-api"))
        #expect(try index("waiting for users-api") < index("users-api answered"))
        #expect(try index("users-api answered") < index("  db.query"))
        #expect(try index("  db.query") < index("    http.server POST /orders"))
        #expect(try index("    http.server POST /orders") < index("response sent"))
        // A log is indented under its span: the child's log deeper than the root's.
        #expect(lines[try index("users-api answered")].hasPrefix("    +36.0ms INFO api:"))
        #expect(lines[try index("waiting for users-api")].hasPrefix("      +20.0ms DEBUG api:"))
    }

    @Test("a log at the instant a child starts comes before the child; logs without a time come last")
    func ties() throws {
        let fixture = InterleavedFixture()
        var lines = fixture.lines
        lines.append(logRecord(at: fixture.at(5), message: "calling", trace: fixture.trace, span: fixture.root))
        lines.append(#"{"record":"log","level":"info","logger":"api","message":"no time","trace_id":"\#(fixture.trace)","span_id":"\#(fixture.root)"}"#)
        let tree = TraceTree(traceID: fixture.trace, records: try lines.map { try LogLine(text: $0) })
        let names = try #require(tree.roots.first).timeline.map { entry -> String in
            if case .log(let log) = entry { return log.message ?? "?" }
            if case .span(let node) = entry { return node.name }
            return "?"
        }
        #expect(names.prefix(3) == ["request received", "calling", "http.client"])
        #expect(names.last == "no time")
    }

    @Test("tick labels at quarters of the trace, in DurationText units, aligned on the bar")
    func ticks() throws {
        #expect(TimeAxis(totalNanoseconds: 100_000_000).ticks.map(\.label) == ["0", "25.0ms", "50.0ms", "75.0ms", "100ms"])
        #expect(TimeAxis(totalNanoseconds: 2_000_000_000).ticks.map(\.label) == ["0", "500ms", "1.00s", "1.50s", "2.00s"])
        #expect(TimeAxis(totalNanoseconds: 90_000_000_000).ticks.map(\.label) == ["0", "22.5s", "45.0s", "1m07s", "1m30s"])
        #expect(TimeAxis(totalNanoseconds: 4_000).ticks.map(\.label) == ["0", "1.00µs", "2.00µs", "3.00µs", "4.00µs"])
        // Far-off times (a trace spanning 1677…2262) must not trap converting back to Int64.
        #expect(TimeAxis(totalNanoseconds: .max).ticks.last?.label == DurationText.format(nanoseconds: .max))

        let axis = TimeAxis(totalNanoseconds: 100_000_000).terminalLines(barWidth: 40)
        #expect(axis.axis.count == 42)
        #expect(axis.axis.hasPrefix("├") && axis.axis.hasSuffix("┤"))
        #expect(axis.axis.filter { $0 == "┼" }.count == 3)
        #expect(axis.labels.hasPrefix("0 "))
        #expect(axis.labels.hasSuffix("100ms") && axis.labels.count == 42)
        for label in ["25.0ms", "50.0ms", "75.0ms"] { #expect(axis.labels.contains(label)) }
        // The 50 % label is centred on the middle tick.
        let middle = try #require(Array(axis.axis).firstIndex(of: "┼").map { _ in Array(axis.axis).indices.filter { Array(axis.axis)[$0] == "┼" }[1] })
        let labelStart = try #require(axis.labels.range(of: "50.0ms")).lowerBound
        #expect(abs(axis.labels.distance(from: axis.labels.startIndex, to: labelStart) + 3 - middle) <= 1)
        // Narrow bars keep the first and last labels and drop inner ones that would touch.
        let narrow = TimeAxis(totalNanoseconds: 100_000_000).terminalLines(barWidth: 10)
        #expect(narrow.labels.hasPrefix("0") && narrow.labels.hasSuffix("100ms") && narrow.labels.count <= 12)

        let fixture = InterleavedFixture()
        let text = WaterfallRenderer(style: TerminalStyle(enabled: false), barWidth: 40).render(try fixture.tree())
        let lines = text.split(separator: "\n").map(String.init)
        // Header, tick labels, axis, then the root span; the axis starts where the bars start.
        #expect(lines[1].hasSuffix("100ms") && lines[1].contains("25.0ms"))
        let bar = try #require(lines[3].firstIndex(of: "│"))
        let axisStart = try #require(lines[2].firstIndex(of: "├"))
        #expect(lines[3].distance(from: lines[3].startIndex, to: bar) == lines[2].distance(from: lines[2].startIndex, to: axisStart))
        #expect(lines[2].hasSuffix("┤"))

        let page = HTMLRenderer().render(try fixture.tree())
        for (label, left) in [("0", "0.0"), ("25.0ms", "25.0"), ("50.0ms", "50.0"), ("75.0ms", "75.0"), ("100ms", "100.0")] {
            #expect(page.contains("style=\"left:\(left)%\">\(label)</span>"), "tick \(label)")
        }
    }

    @Test("spans that share a name get method and route in their label; others keep their name")
    func labels() throws {
        let fixture = InterleavedFixture()
        let tree = try fixture.tree()
        let labels = SpanLabels(tree)
        let nodes = Dictionary(uniqueKeysWithValues: tree.flattened.map { ($0.node.spanID, $0.node) })
        #expect(labels[try #require(nodes[fixture.root])] == "http.server GET /users/{id}")
        #expect(labels[try #require(nodes[fixture.inner])] == "http.server POST /orders")
        // http.client has a method but its name is unique; db.query neither.
        #expect(labels[try #require(nodes[fixture.firstCall])] == "http.client")
        #expect(labels[try #require(nodes[fixture.secondCall])] == "db.query")

        let text = WaterfallRenderer(style: TerminalStyle(enabled: false)).render(tree)
        #expect(text.contains("\nhttp.server GET /users/{id} "))
        #expect(text.contains("\n    http.server POST /orders "))
        #expect(text.contains("\n  http.client "))
        let page = HTMLRenderer().render(tree)
        #expect(page.contains(">http.server GET /users/{id}"))
        #expect(page.contains(">http.server POST /orders"))
        #expect(page.contains(">http.client"))

        // One http.server span alone keeps its bare name, however many attributes it has.
        let single = TraceTree(traceID: fixture.trace, records: try fixture.lines.prefix(2).map { try LogLine(text: $0) })
        #expect(SpanLabels(single)[try #require(single.roots.first)] == "http.server")
        // Shared names without method or route stay bare.
        let twins = [
            spanRecord(trace: fixture.trace, span: fixture.root, parent: nil, name: "work", start: fixture.at(0), durationMilliseconds: 10),
            spanRecord(trace: fixture.trace, span: fixture.firstCall, parent: fixture.root, name: "work", start: fixture.at(1), durationMilliseconds: 5),
        ]
        let twinTree = TraceTree(traceID: fixture.trace, records: try twins.map { try LogLine(text: $0) })
        #expect(twinTree.flattened.map { SpanLabels(twinTree)[$0.node] } == ["work", "work"])
    }

    @Test("the HTML page has a log row per log, interleaved like the terminal, and a marker on the bar for each")
    func htmlLogs() throws {
        let fixture = InterleavedFixture()
        let page = HTMLRenderer().render(try fixture.tree())
        func position(_ needle: String) throws -> String.Index { try #require(page.range(of: needle), "\(needle)").lowerBound }
        #expect(try position("request received") < position(">http.client"))
        #expect(try position(">http.client") < position("users-api answered</div>"))
        #expect(try position("users-api answered</div>") < position(">db.query"))
        #expect(page.components(separatedBy: "<div class=\"logrow").count - 1 == 4)
        #expect(page.components(separatedBy: "<span class=\"mark").count - 1 == 4)
        #expect(page.contains("<span class=\"mark\" style=\"left:36.0%\" title=\"+36.0ms INFO api: users-api answered\"></span>"))
        let report = try HTMLCheck.run(page)
        #expect(report.errors.isEmpty, "\(report.errors)")
    }

    @Test("crafted record text stays inert: escaped for the terminal in every row, escaped for HTML in labels, rows, markers")
    func craftedContent() throws {
        let fixture = InterleavedFixture()
        let evil = #"x\u001b]0;pwned\u0007\u009b2J</div><script>alert(1)</script>\"'"#
        let lines = [
            spanRecord(trace: fixture.trace, span: fixture.root, parent: nil, name: "http.server", start: fixture.at(0), durationMilliseconds: 100,
                       attributes: #"{"http.request.method":"\#(evil)","http.route":"/a\u001b[31m"}"#),
            spanRecord(trace: fixture.trace, span: fixture.firstCall, parent: fixture.root, name: "http.server", start: fixture.at(5), durationMilliseconds: 30),
            logRecord(at: fixture.at(10), level: "error", message: evil, trace: fixture.trace, span: fixture.root, extra: #","k\u009d":"\#(evil)""#),
        ]
        let tree = TraceTree(traceID: fixture.trace, records: try lines.map { try LogLine(text: $0) })
        for width in [nil, 60] {
            for colour in [false, true] {
                let text = WaterfallRenderer(style: TerminalStyle(enabled: colour), lineWidth: width).render(tree)
                let controls = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\u{1B}") || (0x7F...0x9F).contains($0.value) }
                #expect(controls.isEmpty, "\(text.debugDescription)")
                // The only ESC left are the renderer's own colours.
                let escapes = text.components(separatedBy: "\u{1B}").dropFirst()
                #expect(escapes.allSatisfy { $0.hasPrefix("[") && $0.dropFirst().prefix { $0 != "m" }.allSatisfy { "0123456789;".contains($0) } })
                #expect(text.contains(#"\u{1b}]0;pwned\u{7}\u{9b}2J"#) || width != nil)
            }
        }
        let page = HTMLRenderer().render(tree)
        #expect(!page.contains("<script>alert(1)"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.components(separatedBy: "<script").count - 1 == 2)
        let report = try HTMLCheck.run(page)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.rows == 2)
    }

    @Test("with a line width, no line is longer than the terminal, and the bars stay whole")
    func width() throws {
        let fixture = InterleavedFixture()
        var lines = fixture.lines
        lines.append(logRecord(at: fixture.at(50), message: String(repeating: "long message ", count: 30), trace: fixture.trace, span: fixture.root))
        let tree = TraceTree(traceID: fixture.trace, records: try lines.map { try LogLine(text: $0) })
        for colour in [false, true] {
            let text = WaterfallRenderer(style: TerminalStyle(enabled: colour), barWidth: 40, lineWidth: 80).render(tree)
            for line in text.split(separator: "\n") {
                let visible = String(line).replacing(/\x1B\[[0-9;]*m/, with: "")
                #expect(visible.count <= 80, "\(visible)")
            }
            #expect(text.contains("████████████████████████████████████████"))
            #expect(text.contains("long message long message"))
            #expect(text.contains("…"))
        }
        #expect(TerminalLine.fit("\u{1B}[31mhello world\u{1B}[0m", columns: 8) == "\u{1B}[31mhello w…\u{1B}[0m")
        #expect(TerminalLine.fit("short", columns: 8) == "short")
    }
}
