import Foundation
import SpanLogReader
import Testing

@Suite("spanlog grep without a trace id and spanlog traces, through the built binary: output and exit codes")
struct SearchCommandLineTests {
    static let files = Result { try SearchFiles.mixed(count: 300) }

    func run(_ arguments: [String]) throws -> SpanLogBinary.Result {
        try SpanLogBinary.run(arguments)
    }

    @Test("grep <dir> with filters: found → 0 with JSON lines, none → 1; --count, --limit, --newest-first, --pretty")
    func grepSearch() throws {
        let files = try Self.files.get()
        let directory = files.directory.path
        var query = RecordQuery()
        query.minimumLevel = .critical
        let expected = files.expected(query)
        let found = try self.run(["grep", directory, "--level", "critical"])
        #expect(found.status == 0)
        let lines = found.output.split(separator: "\n").map(String.init)
        #expect(lines.map { SearchFiles.seq(try! LogLine(text: $0)) } == expected)

        let count = try self.run(["grep", directory, "--level", "critical", "--count"])
        #expect(count.status == 0 && count.output == "\(expected.count)\n")

        let newest = try self.run(["grep", directory, "--level", "critical", "--limit", "3", "--newest-first"])
        #expect(newest.output.split(separator: "\n").map { SearchFiles.seq(try! LogLine(text: String($0))) } == Array(expected.suffix(3).reversed()))

        let pretty = try self.run(["grep", directory, "--level", "critical", "--limit", "1", "--pretty"])
        #expect(pretty.status == 0 && pretty.output.contains("CRITICAL"))

        let none = try self.run(["grep", directory, "--message", "no record says this"])
        #expect(none.status == 1 && none.output.isEmpty)
        let noneCount = try self.run(["grep", directory, "--span-name", "nothing", "--count"])
        #expect(noneCount.status == 1 && noneCount.output == "0\n")

        let spans = try self.run(["grep", directory, "--status", "error", "--min-duration", "1s", "--since", "2026-11-25T10:00:00Z", "--until", "2026-11-25T10:10:00Z"])
        #expect(spans.status == 0)
        #expect(spans.output.split(separator: "\n").allSatisfy { $0.contains(#""status":"error""#) })
    }

    @Test("bad filter values: one line naming the option and the value, exit 2")
    func badValues() throws {
        let directory = try Self.files.get().directory.path
        let cases: [([String], String)] = [
            (["grep", directory, "--min-duration", "2x"], "--min-duration '2x'"),
            (["grep", directory, "--since", "yesterday"], "--since 'yesterday'"),
            (["grep", directory, "--until", "2026-13-45"], "--until '2026-13-45'"),
            (["grep", directory, "--field", "user"], "--field 'user'"),
            (["grep", directory, "--status", "failed"], "--status 'failed'"),
            (["grep", directory, "--limit", "-1"], "--limit"),
            (["grep", "/nonexistent/spanlog-search"], "is not a trace id"),
            (["traces", directory, "--min-duration", "fast"], "--min-duration 'fast'"),
            (["traces", directory, "--since", "1 hour"], "--since '1 hour'"),
        ]
        for (arguments, message) in cases {
            let result = try self.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
            #expect(result.error.hasPrefix("spanlog: "), "\(arguments): \(result.error)")
            #expect(result.output.isEmpty)
        }
    }

    @Test("traces: lines and --json, found → 0, none → 1")
    func traces() throws {
        let directory = try Self.files.get().directory.path
        let listed = try self.run(["traces", directory, "--slowest", "--limit", "3"])
        #expect(listed.status == 0)
        #expect(listed.output.split(separator: "\n").count == 3)
        let json = try self.run(["traces", directory, "--json", "--errors", "--limit", "100"])
        #expect(json.status == 0)
        for line in json.output.split(separator: "\n") {
            let object = try #require(try JSONParser.parse(String(line)).object)
            #expect(object["errors"]?.plainText != "0")
            #expect(object["trace_id"]?.string?.count == 32)
        }
        let none = try self.run(["traces", directory, "--min-duration", "1h"])
        #expect(none.status == 1 && none.output.isEmpty)
    }

    @Test("a damaged file is reported and the rest still searched (exit 0)")
    func damagedFile() throws {
        let files = try SearchFiles.mixed(count: 300)
        let first = files.files[0]
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: first)))
        for offset in 100..<164 { bytes[offset] ^= 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: first))
        let result = try self.run(["grep", files.directory.path, "--level", "error", "--no-index"])
        #expect(result.status == 0)
        #expect(result.error.contains("damaged gzip member"))
        #expect(!result.output.isEmpty)
    }
}
