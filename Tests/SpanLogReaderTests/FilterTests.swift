import Foundation
import SpanLogReader
import Testing

@Suite("grep filters")
struct FilterTests {
    static let base = RecordTime(rfc3339: "2026-11-25T15:00:00Z")!
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let spanA = "00f067aa0ba902b7"
    static let spanB = "b7ad6b7169203331"

    static func records() throws -> [LogLine] {
        let lines = [
            logRecord(at: base, level: "debug", message: "cache miss", trace: trace, span: spanA, extra: #","user":"42","attempt":1"#),
            logRecord(at: base + 1_000_000_000, level: "info", message: "user signed in", trace: trace, span: spanA, extra: #","user":"7""#),
            logRecord(at: base + 2_000_000_000, level: "warning", message: "slow query: 812ms", trace: trace, span: spanB, extra: #","meta":{"user":"9"}"#),
            logRecord(at: base + 3_000_000_000, level: "error", message: "Payment declined", trace: trace, span: spanB),
            spanRecord(trace: trace, span: spanB, parent: spanA, name: "db.query", start: base + 1_500_000_000, durationMilliseconds: 2000, status: "error", attributes: #"{"db.system":"postgres","http.status_code":500}"#),
        ]
        return try lines.map { try LogLine(text: $0) }
    }

    func messages(_ query: RecordQuery) throws -> [String] {
        try Self.records().filter(query.matches).map { $0.message ?? $0.name ?? "?" }
    }

    @Test("--span keeps the span's logs and its span record")
    func span() throws {
        var query = RecordQuery()
        query.spanID = Self.spanB
        #expect(try self.messages(query) == ["slow query: 812ms", "Payment declined", "db.query"])
    }

    @Test("--level is a minimum, and applies to span records by their level")
    func level() throws {
        var query = RecordQuery()
        query.minimumLevel = .warning
        #expect(try self.messages(query) == ["slow query: 812ms", "Payment declined", "db.query"])
        query.minimumLevel = .error
        #expect(try self.messages(query) == ["Payment declined", "db.query"])
        #expect(RecordLevel("WARN") == .warning)
        #expect(RecordLevel("loud") == nil)
    }

    @Test("--since and --until, absolute and relative")
    func timeRange() throws {
        var query = RecordQuery()
        query.since = Self.base + 1_000_000_000
        query.until = Self.base + 2_000_000_000
        #expect(try self.messages(query) == ["user signed in", "slow query: 812ms"])
        let now = RecordTime(rfc3339: "2026-11-25T15:00:03Z")!
        #expect(RecordTime(bound: "2s", now: now) == Self.base + 1_000_000_000)
        #expect(RecordTime(bound: "15m", now: now) == now - 900_000_000_000)
        #expect(RecordTime(bound: "2h", now: now) == now - 7_200_000_000_000)
        #expect(RecordTime(bound: "1d", now: now) == now - 86_400_000_000_000)
        #expect(RecordTime(bound: "2026-11-25T16:00:01+01:00", now: now) == RecordTime(rfc3339: "2026-11-25T15:00:01Z"))
        #expect(RecordTime(bound: "yesterday", now: now) == nil)
        #expect(RecordTime(bound: "15x", now: now) == nil)
    }

    @Test("--field: top-level fields, numbers, span attributes, dotted paths; all pairs must match")
    func fields() throws {
        var query = RecordQuery()
        query.fields = [("user", "42")]
        #expect(try self.messages(query) == ["cache miss"])
        query.fields = [("attempt", "1")]
        #expect(try self.messages(query) == ["cache miss"])
        query.fields = [("db.system", "postgres")]
        #expect(try self.messages(query) == ["db.query"])
        query.fields = [("http.status_code", "500"), ("status", "error")]
        #expect(try self.messages(query) == ["db.query"])
        query.fields = [("meta.user", "9")]
        #expect(try self.messages(query) == ["slow query: 812ms"])
        query.fields = [("user", "42"), ("level", "info")]
        #expect(try self.messages(query).isEmpty)
    }

    @Test("--message: substring (case-sensitive), and --regex")
    func message() throws {
        var query = RecordQuery()
        query.message = .substring("signed")
        #expect(try self.messages(query) == ["user signed in"])
        query.message = .substring("payment")
        #expect(try self.messages(query).isEmpty)
        query.message = .regex(try Regex("[0-9]+ms$"))
        #expect(try self.messages(query) == ["slow query: 812ms"])
        query.message = .regex(try Regex("(?i)^payment"))
        #expect(try self.messages(query) == ["Payment declined"])
        query.message = .substring("db.")
        #expect(try self.messages(query) == ["db.query"])
    }

    @Test("trace and span ids are validated and lowercased")
    func identifiers() {
        #expect(TraceIdentifier.normalizedTraceID("4BF92F3577B34DA6A3CE929D0E0E4736") == Self.trace)
        #expect(TraceIdentifier.normalizedTraceID("4bf92f3577b34da6a3ce929d0e0e473") == nil)
        #expect(TraceIdentifier.normalizedTraceID("4bf92f3577b34da6a3ce929d0e0e473g") == nil)
        #expect(TraceIdentifier.normalizedTraceID(String(repeating: "0", count: 32)) == nil)
        #expect(TraceIdentifier.normalizedSpanID("00F067AA0BA902B7") == Self.spanA)
        #expect(TraceIdentifier.normalizedSpanID("00f067aa") == nil)
    }
}
