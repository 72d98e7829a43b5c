import Foundation
import SpanLog
import SpanLogOTLP
import Synchronization
import Testing

/// Credentials that expire: the header provider is asked before the first export and again
/// after the collector refuses (HTTP 401, gRPC UNAUTHENTICATED); the request is sent exactly
/// once more, and the data arrives once.
@Suite("OTLP auth that expires", .serialized, .timeLimit(.minutes(5)))
struct OTLPAuthTests {
    static var transports: [OTLPProtocol] {
        #if OTLPGRPC
        [.httpProtobuf, .httpJSON, .grpc]
        #else
        [.httpProtobuf, .httpJSON]
        #endif
    }

    /// Hands out the tokens in order, the last one from then on, and counts the calls.
    final class TokenSource: Sendable {
        private let state: Mutex<(tokens: [String], calls: Int)>
        init(_ tokens: [String]) { self.state = Mutex((tokens, 0)) }
        var calls: Int { self.state.withLock { $0.calls } }
        func next() -> [(name: String, value: String)] {
            let token = self.state.withLock { state -> String in
                state.calls += 1
                return state.tokens.count > 1 ? state.tokens.removeFirst() : state.tokens[0]
            }
            return [(name: "authorization", value: "Bearer \(token)")]
        }
    }

    static func refusals(_ requests: [[String: Any]]) -> Int {
        requests.filter { $0["refused"] as? String == "unauthenticated" }.count
    }

    @Test("401 / UNAUTHENTICATED until the new token: one refresh, exactly one retry, the data arrives once", arguments: Self.transports)
    func refreshAfterRefusal(_ protocolChoice: OTLPProtocol) async throws {
        guard let receiver = try await ReceiverProcess.start(.init(authToken: "new-token")) else { return }
        defer { receiver.stop() }
        let tokens = TokenSource(["expired-token", "new-token"])
        var traces = configuration(receiver, .traces, protocolChoice)
        // A static header of the same name loses to the provider's.
        traces.headers = [(name: "authorization", value: "Bearer static-token"), (name: "x-tenant", value: "a")]
        traces.headerProvider = { tokens.next() }
        let reports = ReportBox()
        let exporter = try OTLPSpanExporter(configuration: traces, reporter: { reports.append($0) })
        try await exporter.export([sampleSpan(), sampleSpan(name: "second")])
        let first = receiver.requests()
        #expect(Self.refusals(first) == 1, "\(first)")
        #expect(decodedSpans(first).count == 2)
        #expect(tokens.calls == 2)
        var statistics = exporter.statistics
        #expect(statistics.retries == 1)
        #expect(statistics.headerRefreshes == 2)
        #expect(statistics.exportedItems == 2)
        #expect(statistics.failedItems == 0)

        // The new token is kept: the next export is accepted at once, without asking again.
        try await exporter.export([sampleSpan(name: "third")])
        try await Task.sleep(for: .milliseconds(200))
        let settled = receiver.requests()
        #expect(Self.refusals(settled) == 1)
        #expect(decodedSpans(settled).count == 3, "no span twice")
        #expect(tokens.calls == 2)
        statistics = exporter.statistics
        #expect(statistics.retries == 1)
        await exporter.shutdown()
        #expect(reports.all.isEmpty, "\(reports.all)")
    }

    @Test("a token that stays refused: exactly one retry, then the export fails and says why", arguments: Self.transports)
    func stillRefused(_ protocolChoice: OTLPProtocol) async throws {
        guard let receiver = try await ReceiverProcess.start(.init(authToken: "new-token")) else { return }
        defer { receiver.stop() }
        let tokens = TokenSource(["expired-token"])
        var traces = configuration(receiver, .traces, protocolChoice)
        traces.headerProvider = { tokens.next() }
        let reports = ReportBox()
        let exporter = try OTLPSpanExporter(configuration: traces, reporter: { reports.append($0) })
        await #expect(throws: (any Error).self) { try await exporter.export([sampleSpan()]) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(Self.refusals(receiver.requests()) == 2)
        #expect(decodedSpans(receiver.requests()).isEmpty)
        #expect(tokens.calls == 2)
        let statistics = exporter.statistics
        #expect(statistics.retries == 1)
        #expect(statistics.failedItems == 1)
        let lastError = statistics.lastError ?? ""
        #expect(lastError.contains("401") || lastError.contains("unauthenticated"), "\(lastError)")
        await exporter.shutdown()
    }

    @Test("a header provider that throws: counted, reported, the export fails within its deadline")
    func providerThrows() async throws {
        guard let receiver = try await ReceiverProcess.start(.init(authToken: "new-token")) else { return }
        defer { receiver.stop() }
        struct VaultDown: Error, CustomStringConvertible { var description: String { "vault is down" } }
        var traces = configuration(receiver, .traces, .httpProtobuf, timeout: .seconds(2))
        traces.headerProvider = { throw VaultDown() }
        let reports = ReportBox()
        let exporter = try OTLPSpanExporter(configuration: traces, reporter: { reports.append($0) })
        await #expect(throws: (any Error).self) { try await exporter.export([sampleSpan()]) }
        let statistics = exporter.statistics
        #expect(statistics.headerRefreshFailures == 2, "before the first attempt and after the refusal: \(statistics)")
        #expect(Self.refusals(receiver.requests()) == 1)
        #expect(statistics.lastError?.contains("vault is down") == true, "\(statistics.lastError ?? "")")
        await exporter.shutdown()
        #expect(reports.all.contains { $0.contains("header provider calls failed") && $0.contains("vault is down") }, "\(reports.all)")
    }

    @Test("a header provider that hangs (and ignores cancellation) is bounded by the export's deadline")
    func providerHangs() async throws {
        guard let receiver = try await ReceiverProcess.start(.init(authToken: "new-token")) else { return }
        defer { receiver.stop() }
        var traces = configuration(receiver, .traces, .httpProtobuf, timeout: .milliseconds(800))
        traces.headerProvider = {
            // Never answers and ignores cancellation (without holding a thread of the pool).
            await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
            return []
        }
        let reports = ReportBox()
        let exporter = try OTLPSpanExporter(configuration: traces, reporter: { reports.append($0) })
        let elapsed = await ContinuousClock().measure {
            await #expect(throws: (any Error).self) { try await exporter.export([sampleSpan()]) }
        }
        #expect(elapsed < .seconds(3), "took \(elapsed)")
        #expect(exporter.statistics.headerRefreshFailures >= 1)
        await exporter.shutdown()
        #expect(reports.all.contains { $0.contains("did not answer within") }, "\(reports.all)")
    }
}
