import Foundation
import Logging
import SpanLog
@testable import SpanLogOTLP
import Testing

/// A collector that accepts a request but rejects part of it (`partial_success`): the counts
/// and its message reach the statistics and the report line, for every protocol; a reply that
/// is no export response is a warning, never a crash.
@Suite("OTLP partial success", .timeLimit(.minutes(5)))
struct OTLPPartialSuccessTests {
    static var transports: [OTLPProtocol] {
        #if OTLPGRPC
        [.httpProtobuf, .httpJSON, .grpc]
        #else
        [.httpProtobuf, .httpJSON]
        #endif
    }

    @Test("rejected spans and log records are counted and reported with the collector's message", arguments: Self.transports)
    func rejectedCounted(_ protocolChoice: OTLPProtocol) async throws {
        let message = "2 items had no name\u{1B}[31m"
        guard let receiver = try await ReceiverProcess.start(.init(partialReject: 2, partialMessage: message)) else { return }
        defer { receiver.stop() }
        let rig = try ExportRig(traces: configuration(receiver, .traces, protocolChoice), logs: configuration(receiver, .logs, protocolChoice))
        try await rig.spanExporter.export((0..<5).map { sampleSpan(name: "span \($0)") })
        let spans = rig.spanExporter.statistics
        #expect(spans.rejectedItems == 2, "\(spans)")
        #expect(spans.exportedItems == 3)
        #expect(spans.failedItems == 0)
        // Control characters are escaped: the message cannot break a log line or drive a terminal.
        #expect(spans.lastRejectionMessage == "2 items had no name\\u{1B}[31m")
        #expect(rig.reportBox.all.contains {
            $0.contains("OTLP traces export: 2 spans rejected by the collector") && $0.contains("2 items had no name\\u{1B}[31m")
        }, "\(rig.reportBox.all)")

        rig.logger.info("one")
        rig.logger.info("two")
        rig.logger.info("three")
        await rig.logExporter.flush()
        let logs = rig.logExporter.statistics
        #expect(logs.rejectedItems == 2, "\(logs)")
        #expect(rig.reportBox.all.contains { $0.contains("OTLP logs export: 2 log records rejected by the collector") }, "\(rig.reportBox.all)")
        await rig.shutdown()
    }

    @Test("a 200 whose body is no export response: a warning, the data counted as exported")
    func garbageReply() async throws {
        guard let receiver = try await ReceiverProcess.start(.init(mode: "garbage-ok")) else { return }
        defer { receiver.stop() }
        let rig = try ExportRig(traces: configuration(receiver, .traces, .httpProtobuf), logs: configuration(receiver, .logs, .httpJSON))
        try await rig.spanExporter.export([sampleSpan()])
        #expect(rig.spanExporter.statistics.exportedItems == 1)
        #expect(rig.spanExporter.statistics.unreadableReplies == 1)
        #expect(rig.reportBox.all.contains { $0.contains("1 replies not readable as export responses") }, "\(rig.reportBox.all)")
        await rig.shutdown()
    }

    @Test("reading partial_success: protobuf and OTLP/JSON forms, bounds and garbage")
    func parsing() {
        func protobuf(_ rejected: UInt64, _ message: String) -> [UInt8] {
            var inner: [UInt8] = [0x08]
            var value = rejected
            while value >= 0x80 { inner.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
            inner.append(UInt8(value))
            inner += [0x12, UInt8(message.utf8.count)] + Array(message.utf8)
            return [0x0A, UInt8(inner.count)] + inner
        }
        let read = { (bytes: [UInt8], encoding: OTLPReply.Encoding, signal: OTLPSignal) in
            OTLPPartialSuccess.read(OTLPReply(bytes: bytes, encoding: encoding), signal: signal)
        }
        #expect(read([], .protobuf, .traces) == .none)
        #expect(read(protobuf(300, "too old"), .protobuf, .traces) == .partial(.init(rejected: 300, message: "too old")))
        #expect(read(protobuf(0, ""), .protobuf, .logs) == .none)
        // An unknown field before it is skipped.
        #expect(read([0x10, 0x01] + protobuf(1, "x"), .protobuf, .metrics) == .partial(.init(rejected: 1, message: "x")))
        if case .unreadable = read(Array("<html>oops</html>".utf8), .protobuf, .traces) {} else { Issue.record("HTML read as protobuf") }
        if case .unreadable = read([0x0A, 0x7F, 0x08], .protobuf, .traces) {} else { Issue.record("a length past the end was read") }

        let json = { (text: String, signal: OTLPSignal) in read(Array(text.utf8), .json, signal) }
        #expect(json("{}", .traces) == .none)
        #expect(json(#"{"partialSuccess":{"rejectedSpans":"3","errorMessage":"bad"}}"#, .traces) == .partial(.init(rejected: 3, message: "bad")))
        #expect(json(#"{"partialSuccess":{"rejectedLogRecords":4}}"#, .logs) == .partial(.init(rejected: 4, message: "")))
        #expect(json(#"{"partial_success":{"rejected_data_points":"5","error_message":"\u00e9"}}"#, .metrics) == .partial(.init(rejected: 5, message: "é")))
        #expect(json(#"{"partialSuccess":{}}"#, .traces) == .none)
        #expect(json(#"{"partialSuccess":{"errorMessage":"a warning"}}"#, .traces) == .partial(.init(rejected: 0, message: "a warning")))
        if case .unreadable = json(#"{"partialSuccess":{"rejectedSpans":"many"}}"#, .traces) {} else { Issue.record("a non-number count was read") }
        if case .unreadable = json("{\"partialSuccess\":", .traces) {} else { Issue.record("truncated JSON was read") }
        let deep = String(repeating: "[", count: 10_000)
        if case .unreadable = json(deep, .traces) {} else { Issue.record("deep nesting was read") }
        // A long message is cut.
        if case .partial(let partial) = json(#"{"partialSuccess":{"rejectedSpans":1,"errorMessage":""# + String(repeating: "m", count: 5000) + #""}}"#, .traces) {
            #expect(partial.message.count == OTLPPartialSuccess.messageLimit + 1)
        } else {
            Issue.record("a long message was not read")
        }
    }
}
