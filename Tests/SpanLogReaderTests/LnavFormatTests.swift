import Foundation
import SpanLogReader
import Testing

/// `contrib/lnav/spanlog.json` installed into a temporary `HOME` and used by lnav, headless
/// (`lnav -n -c ';SELECT …'`), on gzip files written by the real file sink.
@Suite("lnav format for SpanLog records", .enabled(if: ExternalTool.lnav.shouldRun, Comment(rawValue: ExternalTool.lnav.skipReason)))
struct LnavFormatTests {
    /// The format file in the repository.
    static let formatPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("contrib/lnav/spanlog.json").path

    /// lnav with `HOME` and `XDG_CONFIG_HOME` in `home`, killed after 30 s.
    static func lnav(_ arguments: [String], home: String, in directory: TemporaryDirectory) throws -> ExternalTool.Run {
        let lnav = try #require(ExternalTool.lnav.path, "lnav not found and SPANLOG_REQUIRE_TOOLS=1")
        let run = try ExternalTool.run(lnav, arguments, environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/.config", "TERM": "dumb"],
                                       in: directory.path, timeout: 30)
        #expect(!run.timedOut, "lnav ran past its deadline and was killed")
        return run
    }

    @Test("lnav parses the sink's gzip files with the format: levels, timestamps, trace ids as a column, span records")
    func demoFiles() throws {
        let files = try DemoTraceFiles()
        #expect(!files.files.isEmpty && files.files.allSatisfy { $0.hasSuffix(".gz") })
        let expected = LogScanner(files: files.files, issues: { _ in }).records(ofTrace: files.traceID)
        #expect(expected.count == DemoTraceFiles.messages.count + 4)

        let work = try TemporaryDirectory("spanlog-lnav")
        let home = work.file("home")
        try FileManager.default.createDirectory(atPath: home + "/.config", withIntermediateDirectories: true)
        let install = try Self.lnav(["-i", Self.formatPath], home: home, in: work)
        #expect(install.status == 0, "lnav -i: \(install.output) \(install.error)")
        #expect(FileManager.default.fileExists(atPath: home + "/.lnav/formats/installed/spanlog_json.json")
            || FileManager.default.fileExists(atPath: home + "/.config/lnav/formats/installed/spanlog_json.json"))

        let query = """
            ;SELECT log_time, log_level, log_format, trace_id, span_id, logger, log_body, name, status, service, log_opid \
            FROM spanlog_json WHERE trace_id = '\(files.traceID)' ORDER BY log_time, log_line
            """
        let run = try Self.lnav(["-n", "-c", query, "-c", ":write-json-to -"] + files.files, home: home, in: work)
        #expect(run.status == 0, "lnav: \(run.error)")
        let rows = try #require(try JSONParser.parse(run.output).array, "lnav output:\n\(run.output)\n\(run.error)")
        #expect(rows.count == expected.count, "\(run.output)")

        // Every record: lnav's time (milliseconds, a space for the T) and level are the record's.
        let byTime = rows.map { row in
            (time: row["log_time"]?.string ?? "", level: row["log_level"]?.string ?? "", body: row["log_body"]?.string, name: row["name"]?.string)
        }
        for record in expected {
            let time = String((record.timestamp?.rfc3339 ?? "").prefix(23)).replacingOccurrences(of: "T", with: " ")
            let level = record.string("level") ?? ""
            let match = byTime.contains { $0.time == time && $0.level == level && ($0.body == record.message || $0.name == record.name) }
            #expect(match, "no lnav row with time \(time), level \(level) for \(record.text)\n\(run.output)")
        }
        #expect(rows.allSatisfy { $0["log_format"]?.string == "spanlog_json" })
        #expect(rows.allSatisfy { $0["trace_id"]?.string == files.traceID && $0["log_opid"]?.string == files.traceID })
        #expect(Set(rows.compactMap { $0["log_level"]?.string }) == ["debug", "info", "notice", "error"])
        #expect(rows.contains { $0["log_body"]?.string == "order rejected" && $0["log_level"]?.string == "error" && $0["logger"]?.string == "api" })
        // Span records: their name, status and service are columns; their level is info or error.
        let spans = rows.filter { $0["name"]?.string != nil }
        #expect(spans.count == 4)
        #expect(spans.contains { $0["name"]?.string == "http.server" && $0["status"]?.string == "error" && $0["log_level"]?.string == "error" })
        #expect(spans.allSatisfy { $0["service"]?.string == "checkout" })
        #expect(Set(rows.compactMap { $0["span_id"]?.string }).count == 4)

        // The displayed lines: time, level, the logger's message or the span's name and status.
        let view = try Self.lnav(["-n"] + files.files, home: home, in: work)
        #expect(view.output.contains("INFO    log  api request received \(files.traceID)"), "\(view.output)")
        #expect(view.output.contains("ERROR   span http.server error \(files.traceID)"), "\(view.output)")
    }
}
