import Foundation
import SpanLog
import SpanLogOTLP
import Testing
import Tracing

/// A collector that is down, refuses for a while, hangs or answers garbage never blocks the
/// application, loses nothing it could keep, duplicates nothing, and does not hold up shutdown
/// past its deadline.
@Suite("OTLP export under faults", .serialized, .timeLimit(.minutes(15)))
struct OTLPFaultTests {
    static var transports: [OTLPProtocol] {
        #if OTLPGRPC
        [.httpProtobuf, .grpc]
        #else
        [.httpProtobuf]
        #endif
    }

    @Test("an HTTP exporter released without shutdown() (an error on the way) does not stop the process")
    func releasedWithoutShutdown() throws {
        weak var released: OTLPSpanExporter?
        do {
            let configuration = OTLPExporterConfiguration(endpoint: try #require(OTLPEndpoint("http://127.0.0.1:9/v1/traces")), protocol: .httpProtobuf)
            let exporter = try OTLPSpanExporter(configuration: configuration, reporter: { _ in })
            released = exporter
        }
        // Its deinit ran (AsyncHTTPClient stopped a debug build here before the transport shut
        // its client down by itself).
        #expect(released == nil)
    }

    @Test("receiver down at start: exports fail and are reported, the app is not slowed, later spans arrive once it is up", arguments: Self.transports)
    func receiverDownAtStart(_ protocolChoice: OTLPProtocol) async throws {
        // Learn two free ports from a receiver, then stop it so nothing listens there.
        guard let probe = try await ReceiverProcess.start() else { return }
        let ports = ReceiverProcess.Options(httpPort: probe.httpPort, grpcPort: probe.grpcPort)
        probe.stop(removeDirectory: false)
        let directory = probe.directory
        defer { try? FileManager.default.removeItem(at: directory) }

        let rig = try ExportRig(
            traces: configuration(probe, .traces, protocolChoice, timeout: .milliseconds(800)),
            logs: configuration(probe, .logs, protocolChoice, timeout: .milliseconds(800))
        )
        let elapsed = ContinuousClock().measure {
            for _ in 0..<50 { _ = runNestedTrace(rig) }
        }
        #expect(elapsed < .seconds(1), "100 spans and 100 log records took \(elapsed) with the collector down")
        await rig.flush()
        #expect(rig.spanExporter.statistics.failedItems > 0)
        #expect(rig.spanExporter.statistics.exportedItems == 0)
        // The first failure is reported at once (then at most every report interval).
        #expect(rig.reportBox.all.contains { $0.contains("failed") && $0.contains("127.0.0.1") })

        guard let receiver = try await ReceiverProcess.start(ports, directory: directory) else { return }
        defer { receiver.stop(removeDirectory: false) }
        // gRPC reconnects on its own schedule (at most a second apart, plus jitter).
        if protocolChoice == .grpc { try await Task.sleep(for: .milliseconds(1500)) }
        let ids = runNestedTrace(rig)
        await rig.flush()
        let requests = await receiver.waitFor { requests in
            decodedSpans(requests).contains { $0.span["spanId"] as? String == ids.child.spanID.description }
                && decodedLogRecords(requests).contains { $0.record["spanId"] as? String == ids.child.spanID.description }
        }
        #expect(decodedSpans(requests).contains { $0.span["spanId"] as? String == ids.root.spanID.description }, "reports: \(rig.reportBox.all); span statistics: \(rig.spanExporter.statistics); processor: \(String(describing: rig.tracer.processor?.statistics))")
        #expect(decodedSpans(requests).contains { $0.span["spanId"] as? String == ids.child.spanID.description })
        #expect(decodedLogRecords(requests).contains { $0.record["spanId"] as? String == ids.child.spanID.description })
        await rig.shutdown()
    }

    @Test("receiver answering 503 (gRPC UNAVAILABLE) twice, then 200: the data arrives once", arguments: Self.transports)
    func retriesThenSucceeds(_ protocolChoice: OTLPProtocol) async throws {
        guard let receiver = try await ReceiverProcess.start(.init(fail: 2, failStatus: 503)) else { return }
        defer { receiver.stop() }
        let rig = try ExportRig(
            traces: configuration(receiver, .traces, protocolChoice),
            logs: configuration(receiver, .logs, protocolChoice)
        )
        let ids = runNestedTrace(rig)
        await rig.flush()
        let requests = await receiver.waitFor { decodedSpans($0).count >= 2 && decodedLogRecords($0).count >= 2 }
        // Give a duplicate the chance to show up.
        try await Task.sleep(for: .milliseconds(300))
        let settled = receiver.requests()
        #expect(decodedSpans(settled).count == 2, "spans: \(decodedSpans(settled).count)")
        #expect(decodedLogRecords(settled).count == 2, "log records: \(decodedLogRecords(settled).count)")
        #expect(Set(decodedSpans(requests).compactMap { $0.span["spanId"] as? String }) == [ids.root.spanID.description, ids.child.spanID.description])
        let retries = rig.spanExporter.statistics.retries + rig.logExporter.statistics.retries
        #expect(retries == 2)
        #expect(rig.spanExporter.statistics.failedItems == 0)
        #expect(rig.logExporter.statistics.failedItems == 0)
        await rig.shutdown()
    }

    @Test("Retry-After (HTTP 429) and RetryInfo (gRPC UNAVAILABLE) are honoured", arguments: Self.transports)
    func retryAfterHonoured(_ protocolChoice: OTLPProtocol) async throws {
        guard let receiver = try await ReceiverProcess.start(.init(fail: 1, failStatus: 429, retryAfter: "1")) else { return }
        defer { receiver.stop() }
        let rig = try ExportRig(
            traces: configuration(receiver, .traces, protocolChoice),
            logs: configuration(receiver, .logs, protocolChoice)
        )
        let start = ContinuousClock.now
        try await rig.spanExporter.export([sampleSpan()])
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(950), "the retry came after \(elapsed), before the 1 s Retry-After")
        #expect(decodedSpans(receiver.requests()).count == 1)
        await rig.shutdown()
    }

    @Test("an absurd Retry-After (a year past 9999; gRPC: 2⁶³ s) is ignored, counted and reported, on failures and on 2xx replies alike", arguments: Self.transports)
    func absurdRetryAfterIgnored(_ protocolChoice: OTLPProtocol) async throws {
        // Before: the HTTP date's arithmetic overflowed and trapped the process on any reply.
        let value = protocolChoice == .grpc ? "9223372036854775807" : "Sun, 06 Nov 99999999999999 08:49:37 GMT"
        guard let receiver = try await ReceiverProcess.start(.init(fail: 1, failStatus: 429, retryAfter: value, retryAfterAlways: true)) else { return }
        defer { receiver.stop() }
        let rig = try ExportRig(
            traces: configuration(receiver, .traces, protocolChoice),
            logs: configuration(receiver, .logs, protocolChoice)
        )
        try await rig.spanExporter.export([sampleSpan()])
        try await rig.spanExporter.export([sampleSpan()])
        #expect(decodedSpans(receiver.requests()).count == 2)
        let statistics = rig.spanExporter.statistics
        #expect(statistics.ignoredRetryDelays == 1, "\(statistics)")
        #expect(statistics.retries == 1)
        #expect(statistics.failedItems == 0)
        #expect(rig.reportBox.all.contains { $0.contains("1 retry delays from the collector ignored") && ($0.contains("Retry-After") || $0.contains("RetryInfo")) },
                "reports: \(rig.reportBox.all)")
        await rig.shutdown()
    }

    @Test("receiver hanging: the app's path is unaffected, queues stay bounded, shutdown keeps its deadline", arguments: Self.transports)
    func receiverHanging(_ protocolChoice: OTLPProtocol) async throws {
        guard let receiver = try await ReceiverProcess.start(.init(mode: "hang")) else { return }
        defer { receiver.stop() }
        let rig = try ExportRig(
            traces: configuration(receiver, .traces, protocolChoice, timeout: .milliseconds(700)),
            logs: configuration(receiver, .logs, protocolChoice, timeout: .milliseconds(700)),
            batching: .init(scheduleDelayMilliseconds: 20, maxQueueSize: 64, maxExportBatchSize: 32, exportTimeoutMilliseconds: 1000),
            logBatching: .init(scheduleDelay: .milliseconds(20), maxQueueSize: 64, maxExportBatchSize: 32, exportTimeout: .seconds(2))
        )
        // Let the first exports get stuck, then measure the application's path.
        _ = runNestedTrace(rig)
        try await Task.sleep(for: .milliseconds(100))
        var durations: [Duration] = []
        durations.reserveCapacity(500)
        let clock = ContinuousClock()
        let total = clock.measure {
            for _ in 0..<500 {
                durations.append(clock.measure { _ = runNestedTrace(rig) })
            }
        }
        durations.sort()
        #expect(total < .seconds(2), "1000 spans and 1000 log records took \(total) with a hanging collector")
        // A trace that waited for the collector would take the export timeout (0.7 s); the
        // 99th percentile stays far below it (the maximum is left to the scheduler).
        #expect(durations[494] < .milliseconds(50), "the 99th percentile trace took \(durations[494])")
        // Bounded queues: what did not fit was dropped and counted.
        #expect((rig.tracer.processor?.statistics.dropped ?? 0) > 0)
        #expect(rig.logExporter.statistics.droppedItems > 0)

        let shutdownTime = await clock.measure { await rig.shutdown() }
        // The span processor flushes for at most its export timeout (1 s), then exports the
        // rest, each batch bounded by the exporter's 0.7 s; logs take at most their 2 s.
        #expect(shutdownTime < .seconds(12), "shutdown took \(shutdownTime)")
        #expect(rig.spanExporter.statistics.failedItems > 0)
        #expect(decodedSpans(receiver.requests()).isEmpty)
    }

    @Test("receiver answering garbage: exports fail and are counted, nothing crashes or stalls")
    func receiverGarbage() async throws {
        guard let receiver = try await ReceiverProcess.start(.init(mode: "garbage")) else { return }
        defer { receiver.stop() }
        let rig = try ExportRig(
            traces: configuration(receiver, .traces, .httpProtobuf, timeout: .seconds(1)),
            logs: configuration(receiver, .logs, .httpJSON, timeout: .seconds(1))
        )
        let elapsed = ContinuousClock().measure {
            for _ in 0..<50 { _ = runNestedTrace(rig) }
        }
        #expect(elapsed < .seconds(1))
        await rig.flush()
        let clock = ContinuousClock()
        let shutdownTime = await clock.measure { await rig.shutdown() }
        #expect(shutdownTime < .seconds(8))
        #expect(rig.spanExporter.statistics.failedItems > 0)
        #expect(rig.spanExporter.statistics.exportedItems == 0)
        #expect(rig.logExporter.statistics.failedItems > 0)
    }
}

/// A finished span with fixed ids, for tests that call the exporter directly.
func sampleSpan(name: String = "sample", attributes: Int = 5) -> SpanRecord {
    var record = SpanRecord(
        name: name,
        kind: .server,
        context: SpanContext(traceID: TraceID(high: 0x4bf92f3577b34da6, low: 0xa3ce929d0e0e4736), spanID: SpanID(rawValue: 0x00f067aa0ba902b7), parentSpanID: SpanID(rawValue: 0x1234), traceFlags: .sampled),
        start: RecordTime(nanosecondsSinceEpoch: 1_764_000_000_000_000_000),
        end: RecordTime(nanosecondsSinceEpoch: 1_764_000_000_250_000_000),
        resource: ExportRig.resource
    )
    let values: [(String, SpanAttribute)] = [
        ("http.method", .string("GET")), ("http.route", .string("/orders/:id")), ("http.status_code", .int64(200)),
        ("http.duration_seconds", .double(0.25)), ("cache.hit", .bool(true)),
    ]
    for index in 0..<attributes {
        let (key, value) = values[index % values.count]
        record.attributes[index < values.count ? key : "\(key).\(index)"] = value
    }
    return record
}
