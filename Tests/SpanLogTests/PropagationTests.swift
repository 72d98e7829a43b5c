import Foundation
import SpanLog
import Testing
import Tracing

@Suite("W3C Trace Context propagation")
struct PropagationTests {
    @Test("inject then extract round-trips ids, flags and tracestate")
    func roundTrip() throws {
        let (tracer, _, _, _) = makeTracer()
        let span = tracer.startSpan("client", context: .topLevel, ofKind: .client)
        var carrier: [String: String] = [:]
        var context = span.context
        context.spanContext?.traceState = "vendor=abc,other=1"
        tracer.inject(context, into: &carrier, using: DictionaryInjector())
        #expect(carrier["traceparent"] == "00-\(span.spanContext.traceID)-\(span.spanContext.spanID)-01")
        #expect(carrier["tracestate"] == "vendor=abc,other=1")
        var extracted = ServiceContext.topLevel
        tracer.extract(carrier, into: &extracted, using: DictionaryExtractor())
        let remote = try #require(extracted.spanContext)
        #expect(remote.traceID == span.spanContext.traceID)
        #expect(remote.spanID == span.spanContext.spanID)
        #expect(remote.isSampled && remote.isRemote)
        #expect(remote.traceState == "vendor=abc,other=1")
        // A server span continues it: same trace, parent = the caller's span.
        let server = tracer.startSpan("server", context: extracted, ofKind: .server)
        #expect(server.spanContext.traceID == span.spanContext.traceID)
        #expect(server.spanContext.parentSpanID == span.spanContext.spanID)
        #expect(server.spanContext.traceState == "vendor=abc,other=1")
    }

    @Test("any version-00 flags byte is accepted; only the sampled bit is read")
    func flags() throws {
        for (flags, sampled) in [("00", false), ("01", true), ("02", false), ("03", true), ("ff", true), ("fe", false)] {
            let context = try #require(TraceContextPropagator.parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-\(flags)"))
            #expect(context.isSampled == sampled, "flags \(flags)")
        }
        // A future version with more fields is read forward-compatibly.
        #expect(TraceContextPropagator.parseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra") != nil)
    }

    static let malformedSamples: [String] = [
        "", "00", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01extra",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\u{0}",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-é1",
    ]

    @Test("1,000 malformed traceparent values: never a crash, always a new root trace")
    func malformed() throws {
        let (tracer, _, _, _) = makeTracer()
        var generator = SystemRandomNumberGenerator()
        var samples = Self.malformedSamples
        let valid = Array("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".utf8)
        while samples.count < 1000 {
            // Mutate one to three bytes of a valid header into something invalid.
            var bytes = valid
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                let replacement: UInt8 = [UInt8(ascii: "g"), UInt8(ascii: "Z"), UInt8(ascii: "-"), 0, 0xFF, UInt8(ascii: " ")].randomElement(using: &generator)!
                bytes[index] = replacement
            }
            if Bool.random(using: &generator) { bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator))) }
            let candidate = String(decoding: bytes, as: UTF8.self)
            if TraceContextPropagator.parseTraceparent(candidate) == nil { samples.append(candidate) }
        }
        #expect(samples.count == 1000)
        for header in samples {
            var context = ServiceContext.topLevel
            tracer.extract(["traceparent": header], into: &context, using: DictionaryExtractor())
            #expect(context.spanContext == nil, "accepted \(header.debugDescription)")
            let span = tracer.startSpan("server", context: context, ofKind: .server)
            #expect(span.spanContext.parentSpanID == nil)
            #expect(span.spanContext.traceID != TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736"))
        }
    }

    @Test("invalid tracestate is dropped without affecting traceparent")
    func tracestate() throws {
        #expect(TraceContextPropagator.normalizedTracestate("a=1, b=2 ,,c@tenant=x") == "a=1,b=2,c@tenant=x")
        #expect(TraceContextPropagator.normalizedTracestate("A=1") == nil)
        #expect(TraceContextPropagator.normalizedTracestate("a=1,a=2") == nil)
        #expect(TraceContextPropagator.normalizedTracestate("a=x,y") == nil)
        let tooMany = (0..<33).map { "k\($0)=v" }.joined(separator: ",")
        #expect(TraceContextPropagator.normalizedTracestate(tooMany) == nil)
        var context = ServiceContext.topLevel
        TraceContextPropagator().extract(
            ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate": "BAD KEY=1"],
            into: &context, using: DictionaryExtractor())
        #expect(context.spanContext?.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.spanContext?.traceState == "")
    }
}
