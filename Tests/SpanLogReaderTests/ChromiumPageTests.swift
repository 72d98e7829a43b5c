import Foundation
@testable import SpanLogReader
import Testing

/// The `--html` page of a trace written by the real file sink, opened in headless Chromium
/// (`--dump-dom`): it renders, its spans and logs are there, clicking a span (its own click
/// handler) shows the span's details, and it loads nothing — with the network blocked.
@Suite("HTML page in headless Chromium", .enabled(if: ExternalTool.chromium.shouldRun, Comment(rawValue: ExternalTool.chromium.skipReason)))
struct ChromiumPageTests {
    /// What the injected script found, written into the DOM as JSON.
    static let probe = #"""
        <script>
        window.addEventListener('load', function () {
          var out = {};
          function details() { return document.getElementById('details').textContent; }
          out.rows = document.querySelectorAll('.row').length;
          out.logRows = Array.prototype.map.call(document.querySelectorAll('.logrow'), function (e) { return e.textContent; });
          out.marks = document.querySelectorAll('.track .mark').length;
          out.ticks = Array.prototype.map.call(document.querySelectorAll('.tick'), function (e) { return e.textContent; });
          out.labels = Array.prototype.map.call(document.querySelectorAll('.row .label'), function (e) { return e.textContent; });
          out.barWidths = Array.prototype.map.call(document.querySelectorAll('.row .bar'), function (e) { return e.getBoundingClientRect().width; });
          out.initialDetails = details();
          document.querySelector('.row[data-span="ROOT"]').click();
          out.clicked = details();
          out.selected = document.querySelector('.row.selected').getAttribute('data-span');
          var error = document.querySelector('.row[data-span="ERROR"]');
          error.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
          out.entered = details();
          out.scriptsInDetails = document.querySelectorAll('#details script').length;
          out.resources = performance.getEntriesByType('resource').map(function (e) { return e.name; });
          var pre = document.createElement('pre');
          pre.id = 'probe-result';
          pre.textContent = JSON.stringify(out);
          document.body.appendChild(pre);
        });
        </script>
        """#

    /// Runs Chromium headless on `page` with the network blocked; the DOM after load.
    static func dumpDOM(_ page: String, in directory: TemporaryDirectory) throws -> String {
        let chromium = try #require(ExternalTool.chromium.path, "chromium not found and SPANLOG_REQUIRE_TOOLS=1")
        let file = directory.file("page-\(UUID().uuidString).html")
        try page.write(toFile: file, atomically: true, encoding: .utf8)
        let profile = directory.file("chromium-profile-\(UUID().uuidString)")
        var arguments = [
            "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--user-data-dir=\(profile)",
            // No name resolves and every connection goes to a closed port: a page that needed the
            // network would show it (the probe lists every resource the page loaded).
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--dump-dom", "file://\(file)",
        ]
        if getuid() == 0 { arguments.insert("--no-sandbox", at: 0) }
        let home = directory.file("chromium-home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let run = try ExternalTool.run(chromium, arguments, environment: ["HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home],
                                       in: directory.path, timeout: 45)
        #expect(!run.timedOut, "chromium ran past its deadline and was killed")
        #expect(run.status == 0, "chromium exited \(run.status): \(run.error.suffix(2000))")
        return run.output
    }

    /// The probe's JSON from the dumped DOM.
    static func probeResult(_ dom: String) throws -> JSONValue {
        let start = try #require(dom.range(of: "<pre id=\"probe-result\">"), "no probe result in the DOM:\n\(dom.suffix(3000))")
        let end = try #require(dom[start.upperBound...].range(of: "</pre>"))
        let text = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONParser.parse(text)
    }

    @Test("a real trace's page renders in Chromium: spans, logs, ticks, markers; a click shows the span's details; nothing is loaded")
    func realTrace() throws {
        let files = try DemoTraceFiles()
        let tree = files.tree()
        #expect(tree.spanCount == 4)
        let page = HTMLRenderer().render(tree)

        // No external URL anywhere in the page: nothing to load.
        for needle in ["http://", "https://", "src=", "href=", "@import", "url(", "//cdn", "<link", "<img", "<iframe"] {
            #expect(!page.contains(needle), "the page contains \(needle)")
        }

        let nodes = tree.flattened.map(\.node)
        let root = try #require(tree.roots.first)
        let error = try #require(nodes.first { $0.span?.isError ?? false })
        let directory = try TemporaryDirectory("spanlog-chromium")

        // The page as written: its own script shows the first error span on load.
        let plain = try Self.dumpDOM(page, in: directory)
        #expect(plain.contains("<h2>http.server POST /orders</h2>"), "\(plain.suffix(3000))")
        #expect(plain.contains("class=\"row selected error\"") || plain.contains("class=\"row error selected\""))

        // A copy with the probe: the page's handlers run as a user's click and Enter would.
        let probed = page.replacingOccurrences(of: "</body>", with: Self.probe
            .replacingOccurrences(of: "ROOT", with: root.spanID).replacingOccurrences(of: "ERROR", with: error.spanID) + "\n</body>")
        let result = try Self.probeResult(try Self.dumpDOM(probed, in: directory))
        #expect(result["rows"]?.int64 == 4)
        let labels = result["labels"]?.array?.compactMap(\.string) ?? []
        #expect(labels.contains { $0.hasPrefix("http.server GET /users/{id}") })
        #expect(labels.contains { $0.hasPrefix("http.server POST /orders") })
        let logRows = result["logRows"]?.array?.compactMap(\.string) ?? []
        #expect(logRows.count == DemoTraceFiles.messages.count)
        for (row, message) in zip(logRows, DemoTraceFiles.messages) { #expect(row.contains(message), "\(row)") }
        #expect(result["marks"]?.int64 == Int64(DemoTraceFiles.messages.count))
        #expect(result["ticks"]?.array?.count == 5)
        #expect(result["ticks"]?.array?.first?.string == "0")
        #expect((result["barWidths"]?.array?.compactMap(\.double) ?? []).allSatisfy { $0 > 0 })

        let clicked = result["clicked"]?.string ?? ""
        #expect(result["selected"]?.string == root.spanID)
        #expect(clicked.contains("http.server GET /users/{id}"))
        #expect(clicked.contains("/users/{id}") && clicked.contains("http.response.status_code"))
        #expect(clicked.contains("request received") && clicked.contains("users-api answered") && clicked.contains("response sent"))
        #expect(!clicked.contains("order rejected"))

        let entered = result["entered"]?.string ?? ""
        #expect(entered.contains("order rejected"))
        #expect(entered.contains("<script>alert(1)</script>"), "record text shown as text")
        #expect(result["scriptsInDetails"]?.int64 == 0)
        #expect(result["resources"]?.array?.isEmpty == true, "the page loaded \(result["resources"].map { "\($0)" } ?? "?")")
    }

    @Test("the probe sees a load when there is one: a page with an image URL lists it, so an empty list means nothing was loaded")
    func probeSeesLoads() throws {
        let directory = try TemporaryDirectory("spanlog-chromium")
        let page = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>
            <img src="http://example.invalid/pixel.png"><div id="details"></div>
            <div class="row" data-span="ROOT"></div><div class="row selected" data-span="ERROR"></div>
            </body></html>
            """
        let result = try Self.probeResult(try Self.dumpDOM(page.replacingOccurrences(of: "</body>", with: Self.probe + "</body>"), in: directory))
        #expect(result["resources"]?.array?.compactMap(\.string).contains { $0.contains("example.invalid") } == true)
    }
}
