import Foundation
import PythonPeers
#if canImport(Glibc)
import Glibc
#endif
import SpanLog
import SpanLogTesting
import Testing
import Tracing

@Suite("Sampling: trace-id ratio, parent-based, tail rule")
struct SamplingTests {
    @Test("over 100k random trace ids the kept fraction is within 5 sigma of the ratio", arguments: [0.02, 0.1, 0.5])
    func ratioStatistics(ratio: Double) {
        let sampler = TraceIDRatioSampler(ratio: ratio)
        var kept = 0
        let n = 100_000
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<n {
            let id = TraceID(high: generator.next(), low: generator.next())
            if sampler.isSampled(id) { kept += 1 }
        }
        let sigma = (Double(n) * ratio * (1 - ratio)).squareRoot()
        #expect(abs(Double(kept) - Double(n) * ratio) < 5 * sigma, "kept \(kept) of \(n) at ratio \(ratio)")
    }

    @Test("ratio edges: 0 keeps nothing, 1 keeps everything")
    func edges() {
        #expect(!TraceIDRatioSampler(ratio: 0).isSampled(TraceID(high: 0, low: 0)))
        #expect(!TraceIDRatioSampler(ratio: 0).isSampled(TraceID(high: 1, low: 0)))
        #expect(TraceIDRatioSampler(ratio: 1).isSampled(TraceID(high: 1, low: UInt64.max)))
        #expect(TraceIDRatioSampler(ratio: 7).ratio == 1)
        #expect(TraceIDRatioSampler(ratio: -1).ratio == 0)
    }

    /// Decisions of the OpenTelemetry Python SDK 1.45.2 (`TraceIdRatioBased(rate).should_sample`),
    /// recorded for these ids and rates: (trace id, rate, sampled).
    static let pythonReference: [(String, Double, Bool)] = [
        ("abcdef0123456789051eb851eb851ebf", 0.02, true),
        ("abcdef0123456789051eb851eb851ec0", 0.02, false),
        ("abcdef0123456789051eb851eb851ec1", 0.02, false),
        ("abcdef01234567890000000000000000", 0.02, true),
        ("abcdef0123456789ffffffffffffffff", 0.02, false),
        ("abcdef01234567897fffffffffffffff", 0.5, true),
        ("abcdef01234567898000000000000000", 0.5, false),
        ("abcdef01234567898000000000000001", 0.5, false),
        ("abcdef01234567890000000000000000", 0.5, true),
        ("abcdef0123456789ffffffffffffffff", 0.5, false),
        ("abcdef0123456789b333333333332fff", 0.7, true),
        ("abcdef0123456789b333333333333000", 0.7, false),
        ("abcdef0123456789b333333333333001", 0.7, false),
        ("abcdef01234567890000000000000000", 0.7, true),
        ("abcdef0123456789ffffffffffffffff", 0.7, false),
        ("abcdef0123456789ffffef39085f47ff", 0.999999, true),
        ("abcdef0123456789ffffef39085f4800", 0.999999, false),
        ("abcdef0123456789ffffef39085f4801", 0.999999, false),
        ("abcdef01234567890000000000000000", 0.999999, true),
        ("abcdef0123456789ffffffffffffffff", 0.999999, false),
        ("abcdef0123456789ffffffffffffffff", 1.0, true),
        ("abcdef01234567890000000000000000", 1.0, true),
        ("abcdef01234567890000000000000000", 0.0, false),
        ("abcdef01234567890000000000000001", 0.0, false),
        ("abcdef0123456789ffffffffffffffff", 0.0, false),
        ("abcdef01234567890000a7c5ac471b47", 1e-05, true),
        ("abcdef01234567890000a7c5ac471b48", 1e-05, false),
        ("abcdef01234567890000a7c5ac471b49", 1e-05, false),
        ("abcdef01234567890000000000000000", 1e-05, true),
        ("abcdef0123456789ffffffffffffffff", 1e-05, false),
        ("abcdef012345678919999999999999ff", 0.1, true),
        ("abcdef01234567891999999999999a00", 0.1, false),
        ("abcdef01234567891999999999999a01", 0.1, false),
        ("abcdef01234567890000000000000000", 0.1, true),
        ("abcdef0123456789ffffffffffffffff", 0.1, false),
        ("4bf92f3577b34da6a3ce929d0e0e4736", 0.02, false),
        ("4bf92f3577b34da6a3ce929d0e0e4736", 0.7, true),
    ]

    @Test("decisions equal the OpenTelemetry Python SDK's for a fixed list of ids")
    func matchesRecordedReference() throws {
        for (hex, rate, expected) in Self.pythonReference {
            let id = try #require(TraceID(hex: hex))
            #expect(TraceIDRatioSampler(ratio: rate).isSampled(id) == expected, "\(hex) at \(rate)")
        }
    }

    @Test("decisions equal the live Python SDK's for 2000 random ids (needs opentelemetry-sdk)")
    func matchesLivePythonSDK() async throws {
        let script = """
            import sys
            from opentelemetry.sdk.trace.sampling import TraceIdRatioBased, Decision
            for line in sys.stdin:
                hex_id, rate = line.split()
                result = TraceIdRatioBased(float(rate)).should_sample(None, int(hex_id, 16), "s")
                print("1" if result.decision == Decision.RECORD_AND_SAMPLE else "0")
            """
        var generator = SystemRandomNumberGenerator()
        let rates = [0.02, 0.1, 0.25, 0.5, 0.9, 0.333333]
        var cases: [(TraceID, Double)] = []
        for index in 0..<2000 {
            cases.append((TraceID(high: generator.next(), low: generator.next()), rates[index % rates.count]))
        }
        let input = cases.map { "\($0.0) \($0.1)" }.joined(separator: "\n") + "\n"
        guard let python = try await PythonPeers.interpreter() else { return }
        let output = try #require(try runPython(python, script: script, input: input), "\(python) could not run the sampler script")
        let decisions = output.split(separator: "\n").map { $0 == "1" }
        #expect(decisions.count == cases.count)
        for ((id, rate), expected) in zip(cases, decisions) {
            #expect(TraceIDRatioSampler(ratio: rate).isSampled(id) == expected, "\(id) at \(rate)")
        }
    }

    @Test("parent-based: sampled parent followed, unsampled parent not, no parent asks the root sampler")
    func parentBased() {
        let sampler = ParentBasedSampler(root: ConstantSampler(.recordAndSample))
        let id = TraceID(high: 1, low: 2)
        let sampled = SpanContext(traceID: id, spanID: SpanID(rawValue: 3), traceFlags: .sampled, isRemote: true)
        let unsampled = SpanContext(traceID: id, spanID: SpanID(rawValue: 3), traceFlags: [], isRemote: true)
        #expect(sampler.shouldSample(traceID: id, parent: sampled, name: "x", kind: .server) == .recordAndSample)
        #expect(sampler.shouldSample(traceID: id, parent: unsampled, name: "x", kind: .server) == .drop)
        #expect(sampler.shouldSample(traceID: id, parent: nil, name: "x", kind: .server) == .recordAndSample)
        let never = ParentBasedSampler(root: ConstantSampler(.drop))
        #expect(never.shouldSample(traceID: id, parent: nil, name: "x", kind: .server) == .drop)
        #expect(never.shouldSample(traceID: id, parent: sampled, name: "x", kind: .server) == .recordAndSample)
    }

    @Test("tracer follows a sampled remote parent even at ratio 0")
    func sampledRemoteParentFollowed() async throws {
        let (tracer, _, exporter, _) = makeTracer(sampler: ParentBasedSampler(root: TraceIDRatioSampler(ratio: 0)), tail: nil)
        var context = ServiceContext.topLevel
        tracer.extract(["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"], into: &context, using: DictionaryExtractor())
        tracer.withSpan("http.server", context: context, ofKind: .server) { _ in }
        await tracer.processor?.forceFlush()
        let span = try #require(exporter?.exported.first)
        #expect(span.context.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(span.context.parentSpanID?.description == "00f067aa0ba902b7")
        #expect(span.context.isSampled)
    }

    @Test("tail rule: an unsampled trace with an error anywhere is exported whole; a normal one is not")
    func tailKeepsErrors() async throws {
        let (tracer, sink, exporter, _) = makeTracer(sampler: ParentBasedSampler(root: ConstantSampler(.drop)))
        struct Boom: Error {}
        // Trace 1: a child fails.
        let root = tracer.startSpan("http.server", context: .topLevel, ofKind: .server, at: instant(0))
        let child = tracer.startSpan("db.query", context: root.context, at: instant(1))
        child.recordError(Boom())
        child.end(at: instant(2))
        let sibling = tracer.startSpan("cache", context: root.context, at: instant(2))
        sibling.end(at: instant(3))
        root.end(at: instant(10))
        // Trace 2: fine and fast.
        let normal = tracer.startSpan("http.server", context: .topLevel, ofKind: .server, at: instant(0))
        tracer.startSpan("db.query", context: normal.context, at: instant(1)).end(at: instant(2))
        normal.end(at: instant(10))
        await tracer.processor?.forceFlush()
        let exported = try #require(exporter?.exported)
        #expect(exported.count == 3)
        #expect(Set(exported.map(\.context.traceID)) == [root.spanContext.traceID])
        #expect(exported.allSatisfy { $0.context.isSampled })
        #expect(Set(exported.map(\.name)) == ["http.server", "db.query", "cache"])
        #expect(!root.spanContext.isSampled)  // the head decision stays visible in the live context
        #expect(tracer.tailSampler?.statistics.keptForError == 1)
        #expect(tracer.tailSampler?.statistics.discarded == 1)
        // LOG_SPANS=all: all 5 recorded spans are in the local log, exported or not.
        let spanRecords = sink.lines.compactMap(parseJSONObject).filter { $0["record"] as? String == "span" }
        #expect(spanRecords.count == 5)
    }

    @Test("tail rule: a root slower than the threshold keeps its trace; one just under does not")
    func tailKeepsSlow() async throws {
        let (tracer, _, exporter, _) = makeTracer(
            sampler: ParentBasedSampler(root: ConstantSampler(.drop)),
            tail: TailSampler.Configuration(slowThresholdMilliseconds: 2000)
        )
        let slow = tracer.startSpan("http.server", context: .topLevel, at: instant(0))
        slow.end(at: instant(2001))
        let fast = tracer.startSpan("http.server", context: .topLevel, at: instant(0))
        fast.end(at: instant(2000))
        await tracer.processor?.forceFlush()
        #expect(exporter?.exported.map(\.context.traceID) == [slow.spanContext.traceID])
        #expect(tracer.tailSampler?.statistics.keptForLatency == 1)
    }

    @Test("tail rule: pending memory is bounded per trace and in total, evictions counted")
    func tailBounded() async throws {
        let (tracer, _, _, _) = makeTracer(
            sampler: ParentBasedSampler(root: ConstantSampler(.drop)),
            tail: TailSampler.Configuration(maxPendingTraces: 10, maxSpansPerTrace: 5, maxPendingSpans: 40)
        )
        var roots: [SpanLogSpan] = []
        for _ in 0..<50 {
            let root = tracer.startSpan("root", context: .topLevel, at: instant(0))
            for _ in 0..<8 { tracer.startSpan("child", context: root.context, at: instant(1)).end(at: instant(2)) }
            roots.append(root)
        }
        let tail = try #require(tracer.tailSampler)
        #expect(tail.pendingSpanCount <= 40)
        // 50 traces × 8 children = 400 offered; at most 40 can be pending.
        #expect(tail.statistics.evictedSpans == 400 - UInt64(tail.pendingSpanCount))
        for root in roots { root.end(at: instant(3)) }
        #expect(tail.pendingSpanCount == 0)
    }

    @Test("OTEL_TRACE_SAMPLE=0: nothing head-sampled, errors still exported by the tail rule")
    func zeroRatioStillKeepsErrors() async throws {
        let configuration = TelemetryConfiguration.fromEnvironment(["OTEL_TRACE_SAMPLE": "0.0"])
        let (tracer, _, exporter, _) = makeTracer(sampler: configuration.sampler)
        for _ in 0..<20 { tracer.withSpan("ok") { _ in } }
        struct Failure: Error {}
        _ = try? tracer.withSpan("failing") { _ in throw Failure() }
        await tracer.processor?.forceFlush()
        #expect(exporter?.exported.map(\.name) == ["failing"])
    }
}

/// Runs `python -c script` with `input` on stdin; nil when it fails.
func runPython(_ python: String, script: String, input: String) throws -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script]
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    // A python3 that exits early (its imports missing) closes the pipe: the write must then fail
    // with EPIPE and the test report the missing peer, not SIGPIPE end the whole test process.
    signal(SIGPIPE, SIG_IGN)
    try process.run()
    let writer = Thread {
        try? stdin.fileHandleForWriting.write(contentsOf: input.data(using: .utf8)!)
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
}
