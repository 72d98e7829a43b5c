import Foundation
@testable import SpanLog
@testable import SpanLogReader
import Testing

@Suite("spanlog traces: one summary per trace from the span records, sorted, filtered, bounded")
struct TraceListTests {
    /// Five traces over rotated gzip files written by the real sink, with log records between.
    static let files = Result { () throws -> SearchFiles in
        var lines: [String] = []
        func at(_ second: Int) -> RecordTime { SearchFiles.time(second) }
        // checkout: 2 s, an error child; starts at 100.
        lines.append(spanRecord(trace: Self.checkout, span: "0000000000000011", parent: "0000000000000010", name: "db.query", start: at(100), durationMilliseconds: 300, status: "error"))
        lines.append(spanRecord(trace: Self.checkout, span: "0000000000000010", parent: nil, name: "http.server", start: at(100), durationMilliseconds: 2000, kind: "server",
                                attributes: #"{"http.route":"/checkout","http.request.method":"POST"}"#))
        // users: 500 ms, starts at 200.
        lines.append(spanRecord(trace: Self.users, span: "0000000000000020", parent: nil, name: "http.server", start: at(200), durationMilliseconds: 500, kind: "server",
                                attributes: #"{"http.route":"/users/{id}","http.method":"GET"}"#))
        // orphan: its root is in another service's files; two children, 1 s overall, starts at 300.
        lines.append(spanRecord(trace: Self.orphan, span: "0000000000000031", parent: "00000000000000ff", name: "cache.get", start: at(300), durationMilliseconds: 400))
        lines.append(spanRecord(trace: Self.orphan, span: "0000000000000032", parent: "00000000000000ff", name: "cache.set", start: at(300) + 600_000_000, durationMilliseconds: 400))
        // item: 3 s under /checkout/{id}, starts at 400, root in a later file than its child.
        lines.append(spanRecord(trace: Self.item, span: "0000000000000041", parent: "0000000000000040", name: "db.query", start: at(400), durationMilliseconds: 100))
        for second in 401..<700 { lines.append(logRecord(at: at(second), message: "filler \(second) " + String(repeating: "x", count: 120), trace: Self.item, span: "0000000000000041")) }
        lines.append(spanRecord(trace: Self.item, span: "0000000000000040", parent: nil, name: "http.server", start: at(400), durationMilliseconds: 300_000, kind: "server",
                                attributes: #"{"http.route":"/checkout/{id}","http.method":"GET"}"#))
        // checkoutv2: a route that only starts with "/checkout" (not a path prefix); 10 ms at 800.
        lines.append(spanRecord(trace: Self.checkoutv2, span: "0000000000000050", parent: nil, name: "http.server", start: at(800), durationMilliseconds: 10, kind: "server",
                                attributes: #"{"http.route":"/checkoutv2"}"#))
        return try SearchFiles(lines: lines)
    }

    static let checkout = String(repeating: "1", count: 32)
    static let users = String(repeating: "2", count: 32)
    static let orphan = String(repeating: "3", count: 32)
    static let item = String(repeating: "4", count: 32)
    static let checkoutv2 = String(repeating: "5", count: 32)

    func list(_ configure: (inout TraceList) -> Void = { _ in }) throws -> [TraceSummary] {
        let issues = IssueLog()
        var list = TraceList(scanner: try Self.files.get().scanner(issues: issues))
        configure(&list)
        let result = list.run()
        #expect(issues.issues.isEmpty)
        return result.traces
    }

    @Test("the files span several rotated gzip files")
    func fixtureShape() throws {
        #expect(try Self.files.get().files.count >= 2)
    }

    @Test("default: newest first, with root name, route, method, service, start, duration, spans, errors")
    func newestFirst() throws {
        let traces = try self.list()
        #expect(traces.map(\.traceID) == [Self.checkoutv2, Self.item, Self.orphan, Self.users, Self.checkout])
        let checkout = try #require(traces.first { $0.traceID == Self.checkout })
        #expect(checkout.rootName == "http.server")
        #expect(checkout.route == "/checkout")
        #expect(checkout.method == "POST")
        #expect(checkout.service == "checkout")
        #expect(checkout.start == SearchFiles.time(100).nanosecondsSinceEpoch)
        #expect(checkout.durationNanoseconds == 2_000_000_000)
        #expect(checkout.spanCount == 2)
        #expect(checkout.errorCount == 1)
        #expect(!checkout.rootMissing)
        let item = try #require(traces.first { $0.traceID == Self.item })
        #expect(item.rootName == "http.server" && item.spanCount == 2 && item.durationNanoseconds == 300_000_000_000)
    }

    @Test("a trace whose root is missing is listed with what is there, marked")
    func missingRoot() throws {
        let orphan = try #require(try self.list().first { $0.traceID == Self.orphan })
        #expect(orphan.rootMissing)
        #expect(orphan.rootName == "cache.get")
        #expect(orphan.spanCount == 2)
        #expect(orphan.durationNanoseconds == 1_000_000_000)
    }

    @Test("--slowest sorts by duration; --limit cuts")
    func slowest() throws {
        #expect(try self.list { $0.order = .slowest }.map(\.traceID) == [Self.item, Self.checkout, Self.orphan, Self.users, Self.checkoutv2])
        #expect(try self.list { $0.order = .slowest; $0.limit = 2 }.map(\.traceID) == [Self.item, Self.checkout])
    }

    @Test("--errors, --min-duration, --route (exact or a path prefix), --service, --since/--until")
    func filters() throws {
        #expect(try self.list { $0.onlyErrors = true }.map(\.traceID) == [Self.checkout])
        #expect(try self.list { $0.minimumDuration = 2_000_000_000 }.map(\.traceID) == [Self.item, Self.checkout])
        #expect(try self.list { $0.route = "/checkout" }.map(\.traceID) == [Self.item, Self.checkout])
        #expect(try self.list { $0.route = "/users/{id}" }.map(\.traceID) == [Self.users])
        #expect(try self.list { $0.service = "nobody" }.isEmpty)
        #expect(try self.list { $0.since = SearchFiles.time(200); $0.until = SearchFiles.time(400) }.map(\.traceID) == [Self.item, Self.orphan, Self.users])
    }

    @Test("past the cap the lowest-ranked summaries are dropped and counted; the top of the list stays right")
    func cap() throws {
        var lines: [String] = []
        for index in 0..<200 {
            lines.append(spanRecord(trace: String(format: "%032x", index + 1), span: String(format: "%016x", index + 1), parent: nil, name: "job",
                                    start: SearchFiles.time(index), durationMilliseconds: Int64((index * 37) % 200)))
        }
        let files = try SearchFiles(lines: lines)
        var list = TraceList(scanner: files.scanner())
        list.maximumTraces = 16
        list.order = .slowest
        list.limit = 5
        let result = list.run()
        #expect(result.droppedTraces > 0)
        #expect(result.traces.map(\.durationNanoseconds) == [199, 198, 197, 196, 195].map { Int64($0) * 1_000_000 })
    }
}
