import Foundation
import SpanLogReader
import Testing

/// One trace with every shape the tree builder must handle.
struct TraceFixture {
    static let base = RecordTime(rfc3339: "2026-11-25T15:00:00Z")!
    let trace = randomHex(32)
    let root = randomHex(16)
    let child = randomHex(16)
    let grandchild = randomHex(16)
    let unfinished = randomHex(16)
    let insideUnfinished = randomHex(16)
    let orphan = randomHex(16)
    let missingParent = randomHex(16)

    func at(_ milliseconds: Int64) -> RecordTime { Self.base + milliseconds * 1_000_000 }

    var lines: [String] {
        let other = randomHex(32)
        return [
            logRecord(at: self.at(1), message: "request received", trace: self.trace, span: self.root),
            logRecord(at: self.at(2), message: "untraced housekeeping", trace: nil, span: nil),
            logRecord(at: self.at(3), message: "other trace", trace: other, span: randomHex(16)),
            logRecord(at: self.at(12), level: "debug", message: "connecting", trace: self.trace, span: self.grandchild),
            spanRecord(trace: self.trace, span: self.grandchild, parent: self.child, name: "db.connect", start: self.at(10), durationMilliseconds: 5),
            logRecord(at: self.at(30), level: "error", message: "query failed", trace: self.trace, span: self.child),
            spanRecord(trace: self.trace, span: self.child, parent: self.root, name: "db.query", start: self.at(8), durationMilliseconds: 30, status: "error",
                       kind: "client", attributes: #"{"db.system":"postgres","db.operation":"SELECT"}"#,
                       events: #"[{"name":"exception","timestamp":"\#(self.at(30).rfc3339)","attributes":{"exception.type":"DBError","exception.message":"<timeout>"}}]"#),
            logRecord(at: self.at(50), message: "worker started", trace: self.trace, span: self.unfinished),
            spanRecord(trace: self.trace, span: self.insideUnfinished, parent: self.unfinished, name: "cache.get", start: self.at(55), durationMilliseconds: 2),
            logRecord(at: self.at(70), level: "warning", message: "worker still busy", trace: self.trace, span: self.unfinished),
            spanRecord(trace: self.trace, span: self.orphan, parent: self.missingParent, name: "remote.callback", start: self.at(60), durationMilliseconds: 10),
            logRecord(at: self.at(80), message: "trace-level note", trace: self.trace, span: nil),
            spanRecord(trace: self.trace, span: self.root, parent: nil, name: "http.server", start: self.at(0), durationMilliseconds: 100, kind: "server",
                       attributes: #"{"http.method":"GET","http.route":"/users/{id}","http.status_code":500}"#),
        ]
    }

    func write(to directory: TemporaryDirectory) throws {
        let lines = self.lines
        try directory.write(rotatedName(0), gzipFile(Array(lines[0..<6]), linesPerMember: 2))
        try directory.write(rotatedName(1), gzipFile(Array(lines[6...]), linesPerMember: 3))
    }

    func tree() throws -> TraceTree {
        let records = try self.lines.map { try LogLine(text: $0) }.shuffled()
        return TraceTree(traceID: self.trace, records: records)
    }
}

@Suite("trace: span tree, unfinished spans, orphans, waterfall")
struct TraceTests {
    @Test("spans nest by parent; logs attach by span id; unfinished and orphan spans hang under the root")
    func tree() throws {
        let fixture = TraceFixture()
        let tree = try fixture.tree()
        #expect(tree.roots.count == 1)
        let root = try #require(tree.roots.first)
        #expect(root.spanID == fixture.root)
        #expect(root.logs.compactMap(\.message) == ["request received"])
        #expect(root.children.map(\.spanID) == [fixture.child, fixture.unfinished, fixture.orphan])

        let child = root.children[0]
        #expect(child.status == "error")
        #expect(child.hasError)
        #expect(child.logs.compactMap(\.message) == ["query failed"])
        #expect(child.children.map(\.name) == ["db.connect"])
        #expect(child.children.first?.logs.compactMap(\.message) == ["connecting"])

        let unfinished = root.children[1]
        #expect(unfinished.isUnfinished)
        #expect(!unfinished.isOrphan)
        #expect(unfinished.status == "unfinished")
        #expect(unfinished.logs.compactMap(\.message) == ["worker started", "worker still busy"])
        #expect(unfinished.durationNanoseconds == 20_000_000)
        #expect(unfinished.children.map(\.name) == ["cache.get"])

        let orphan = root.children[2]
        #expect(orphan.isOrphan)
        #expect(orphan.parentSpanID == fixture.missingParent)

        #expect(tree.looseLogs.compactMap(\.message) == ["trace-level note"])
        #expect(tree.spanCount == 6)
        #expect(tree.start == fixture.at(0))
        #expect(tree.end == fixture.at(100))
        let all = tree.flattened.flatMap { $0.node.logs } + tree.looseLogs
        #expect(!all.contains { $0.message == "untraced housekeeping" || $0.message == "other trace" })
    }

    @Test("without a root span, orphans are the top level")
    func noRoot() throws {
        let fixture = TraceFixture()
        let records = try fixture.lines.map { try LogLine(text: $0) }.filter { $0.spanID != fixture.root }
        let tree = TraceTree(traceID: fixture.trace, records: records)
        #expect(tree.roots.contains { $0.spanID == fixture.child && $0.isOrphan })
        #expect(tree.roots.contains { $0.spanID == fixture.orphan && $0.isOrphan })
        #expect(tree.roots.contains { $0.spanID == fixture.unfinished && $0.isUnfinished })
    }

    @Test("the waterfall shows every span indented, bars scaled to the trace, durations, status, attributes and logs")
    func waterfall() throws {
        let fixture = TraceFixture()
        let text = WaterfallRenderer(style: TerminalStyle(enabled: false), barWidth: 20).render(try fixture.tree())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("trace \(fixture.trace) · 6 spans · 100ms · 1 error"))
        let rootLine = try #require(lines.first { $0.hasPrefix("http.server") })
        #expect(rootLine.contains("│████████████████████│"))
        #expect(rootLine.contains("100ms"))
        #expect(rootLine.contains("http.method=GET"))
        let queryLine = try #require(lines.first { $0.hasPrefix("  db.query") })
        #expect(queryLine.contains("│ ███████            │"))
        #expect(queryLine.contains("error"))
        #expect(queryLine.contains("db.system=postgres"))
        #expect(lines.contains { $0.hasPrefix("    db.connect") })
        #expect(lines.contains { $0.hasPrefix("  … (unfinished span)") && $0.contains("unfinished") })
        #expect(lines.contains { $0.hasPrefix("  ? remote.callback") && $0.contains("orphan: parent \(fixture.missingParent) not found") })
        #expect(lines.contains { $0.contains("+30.0ms ERROR api: query failed") })
        #expect(lines.contains { $0.contains("logs of the trace outside any span") })
        #expect(!text.contains("\u{1B}["))
        let coloured = WaterfallRenderer(style: TerminalStyle(enabled: true)).render(try fixture.tree())
        #expect(coloured.contains("\u{1B}[31m"))
    }

    @Test("the HTML page parses as HTML, holds every span, and keeps record text inert")
    func html() throws {
        let fixture = TraceFixture()
        let tree = try fixture.tree()
        let page = HTMLRenderer().render(tree)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(!page.contains("http://") && !page.contains("https://"))
        for (node, _) in tree.flattened {
            #expect(page.contains("data-span=\"\(node.spanID)\""))
            #expect(page.contains(">\(node.name)"))
        }
        #expect(!page.contains("<timeout>"))
        #expect(page.contains("class=\"row error\""))
        let report = try HTMLCheck.run(page)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.rows == tree.spanCount + 1)
        let data = try JSONParser.parse(report.data)
        #expect(data["spans"]?.object?.keys.count == tree.spanCount + 1)
        #expect(data["spans"]?[fixture.child]?["span"]?["events"]?.array?.first?["attributes"]?["exception.message"]?.string == "<timeout>")
    }
}

/// Parses a page with Python's html.parser and checks that every element is closed in order.
enum HTMLCheck {
    struct Report {
        var errors: [String]
        var rows: Int
        var data: String
    }

    static let script = #"""
import sys, json
from html.parser import HTMLParser
VOID = {"meta","link","br","hr","img","input","area","base","col","embed","source","track","wbr"}
class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.rows, self.data, self.in_data = [], [], 0, "", False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "row" in (a.get("class") or "").split(): self.rows += 1
        if tag == "script" and a.get("id") == "trace-data": self.in_data = True
        if tag not in VOID: self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unexpected </%s> with open %s" % (tag, self.stack[-3:]))
        else:
            self.stack.pop()
        if tag == "script": self.in_data = False
    def handle_data(self, data):
        if self.in_data: self.data += data
checker = Checker()
checker.feed(sys.stdin.read())
checker.close()
if checker.stack: checker.errors.append("unclosed: %s" % checker.stack)
print(json.dumps({"errors": checker.errors, "rows": checker.rows, "data": checker.data}))
"""#

    static func run(_ page: String) throws -> Report {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(page.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let parsed = try JSONParser.parse(String(decoding: data, as: UTF8.self))
        return Report(
            errors: parsed["errors"]?.array?.compactMap(\.string) ?? ["python3 html.parser check did not run"],
            rows: Int(parsed["rows"]?.int64 ?? -1),
            data: parsed["data"]?.string ?? ""
        )
    }
}
