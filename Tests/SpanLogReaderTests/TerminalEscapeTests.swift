import Foundation
import SpanLogReader
import Testing

@Suite("terminal escapes in records never reach the terminal")
struct TerminalEscapeTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"

    /// Lines full of ESC, CSI and OSC sequences: as JSON escapes, as raw UTF-8 C1 characters and
    /// as a raw (invalid UTF-8) 0x9B byte, in every field a renderer prints.
    static var hostileLines: [[UInt8]] {
        let log = Array(#"{"timestamp":"\u009b2J-not-a-time","record":"log","level":"\u001b[2Jloud","logger":"api\u007f","message":"hello \u001b[31mred\u001b[0m \u009b31m csi \u009d0;title\u0007 osc \#u{9B}6n raw-c1 "#.utf8)
            + [0x9B] + Array(#"2J raw-byte","trace_id":"\#(trace)","span_id":"00f067aa0ba902b7","user\u009b":"v\u001b[8m"}"#.utf8)
        let span = Array(#"{"timestamp":"2026-11-25T15:00:00.100000000Z","record":"span","level":"info","name":"GET \u001b]0;owned\u0007","kind":"server","trace_id":"\#(trace)","span_id":"b7ad6b7169203331","parent_span_id":"\u009b6n\u001b[1;1H000000","start":"2026-11-25T15:00:00.000000000Z","end":"2026-11-25T15:00:00.100000000Z","duration_ns":100000000,"status":"ok\u001b[5m","status_message":"\u009d52;c;cHduZWQ=\u0007","service":"checkout","attributes":{"http.route":"/\u001b[H","k\u009b":"v\#u{9D}"},"events":[],"links":[]}"#.utf8)
        let foreignIDs = Array(#"{"timestamp":"2026-11-25T15:00:00.200000000Z","record":"log","level":"info","logger":"x","message":"ids","trace_id":"\u001b[31m\u009b0000000000000000000000","span_id":"\u009d0;x\u0007"}"#.utf8)
        return [log, span, foreignIDs]
    }

    static func writeHostileFile(_ directory: TemporaryDirectory, rawGarbage: Bool) throws {
        var bytes: [UInt8] = []
        for line in Self.hostileLines { bytes += line + [0x0A] }
        if rawGarbage {
            // Not JSON at all (tail prints such lines as they are): raw ESC, CR and C1 bytes.
            bytes += Array("garbage \u{1B}[2J\r\u{9B}31m".utf8) + [0x9B, 0x0A]
        }
        try directory.write("evil.jsonl", bytes)
    }

    /// No control character other than the newline ending each line: no C0 (ESC, BEL, CR), no
    /// DEL, no C1 (U+0080–U+009F), and no invalid UTF-8 (a raw 0x9B byte).
    static func expectTerminalSafe(_ bytes: Data, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let text = String(data: bytes, encoding: .utf8) else {
            Issue.record("\(what): not valid UTF-8", sourceLocation: sourceLocation)
            return
        }
        let bad = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
        #expect(bad.isEmpty, "\(what): raw control characters \(bad.map { String($0.value, radix: 16) }) in \(text.debugDescription)", sourceLocation: sourceLocation)
        #expect(!text.isEmpty, "\(what): no output", sourceLocation: sourceLocation)
    }

    @Test("the escaper: C0, DEL and C1 visible; JSON lines keep their values")
    func escaper() throws {
        #expect(TerminalText.escaped("a\u{1B}[2Jb\u{9B}c\u{9D}d\u{7F}e\r\n") == #"a\u{1b}[2Jb\u{9b}c\u{9d}d\u{7f}e\r\n"#)
        #expect(PrettyFormatter.sanitize("x\u{9B}y") == #"x\u{9b}y"#)
        let line = "{\"m\":\"a\u{9B}b\u{1B}\\\"c\",\r\t\"n\":1}"
        let escaped = TerminalText.escapedJSONLine(line)
        #expect(escaped == #"{"m":"a\u009bb\u001b\"c",  "n":1}"#)
        #expect(try JSONParser.parse(escaped) == JSONParser.parse(#"{"m":"a\#u{9B}b\u001b\"c","n":1}"#))
        #expect(JSONWriter.string(.string("\u{9B}\u{1B}")) == #""\u009b\u001b""#)
    }

    @Test("grep --pretty, grep (JSON), trace, stats, stats --json: nothing raw on stdout")
    func scanningCommands() throws {
        let directory = try TemporaryDirectory()
        try Self.writeHostileFile(directory, rawGarbage: false)
        let pretty = try SpanLogBinary.run(["grep", Self.trace, directory.path, "--pretty"])
        #expect(pretty.status == 0, "\(pretty.error)")
        #expect(pretty.output.split(separator: "\n").count == 2)
        Self.expectTerminalSafe(pretty.outputBytes, "grep --pretty")
        #expect(pretty.output.contains(#"\u{1b}[2JLOUD"#) && pretty.output.contains(#"\u{9b}2J-not-a-time"#) && pretty.output.contains(#"ok\u{1b}[5m"#), "\(pretty.output)")

        let json = try SpanLogBinary.run(["grep", Self.trace, directory.path])
        Self.expectTerminalSafe(json.outputBytes, "grep")
        let originals = Self.hostileLines.prefix(2).map { try? JSONParser.parse(String(decoding: $0, as: UTF8.self)) }
        let printed = json.output.split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        #expect(printed.count == 2 && printed.allSatisfy { $0 != nil }, "grep's lines stay valid JSON: \(json.output)")
        #expect(printed == originals, "and hold the same values")

        let trace = try SpanLogBinary.run(["trace", Self.trace, directory.path])
        #expect(trace.status == 0, "\(trace.error)")
        Self.expectTerminalSafe(trace.outputBytes, "trace")
        #expect(trace.output.contains(#"GET \u{1b}]0;owned\u{7}"#), "\(trace.output)")

        let stats = try SpanLogBinary.run(["stats", directory.path])
        Self.expectTerminalSafe(stats.outputBytes, "stats")
        let statsJSON = try SpanLogBinary.run(["stats", directory.path, "--json"])
        Self.expectTerminalSafe(statsJSON.outputBytes, "stats --json")
        #expect(try JSONParser.parse(statsJSON.output.trimmingCharacters(in: .newlines))["records"]?.int64 == 3)
    }

    @Test("tail and tail --pretty: nothing raw, foreign ids and non-JSON lines included")
    func tail() throws {
        let directory = try TemporaryDirectory()
        try Self.writeHostileFile(directory, rawGarbage: true)
        let pretty = try SpanLogBinary.run(["tail", "-n", "10", directory.path, "--pretty"])
        #expect(pretty.status == 0, "\(pretty.error)")
        #expect(pretty.output.split(separator: "\n").count == 4)
        Self.expectTerminalSafe(pretty.outputBytes, "tail --pretty")
        #expect(pretty.output.contains(#"[\u{1b}[31m\u{9b}00…/\u{9d}0;x\u{7}]"#), "\(pretty.output)")
        let raw = try SpanLogBinary.run(["tail", "-n", "10", directory.path])
        #expect(raw.output.split(separator: "\n").count == 4)
        Self.expectTerminalSafe(raw.outputBytes, "tail")
    }

    @Test("warnings on stderr: a file name with escapes is printed escaped")
    func warnings() throws {
        let directory = try TemporaryDirectory()
        let name = "bad\u{1B}]0;owned\u{07}\u{9B}2J.jsonl"
        try directory.write(name, Array(#"{"trace_id":"\#(Self.trace)", broken"#.utf8) + [0x0A])
        let result = try SpanLogBinary.run(["grep", Self.trace, directory.path])
        #expect(result.status == 1)
        Self.expectTerminalSafe(Data(result.error.utf8), "stderr")
        #expect(result.error.contains(#"bad\u{1b}]0;owned\u{7}\u{9b}2J.jsonl"#), "\(result.error)")
    }
}
