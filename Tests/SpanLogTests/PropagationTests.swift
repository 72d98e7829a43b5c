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
        // A root SpanLog starts is sampled here and has a random trace id: flags 03.
        #expect(carrier["traceparent"] == "00-\(span.spanContext.traceID)-\(span.spanContext.spanID)-03")
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
        #expect(TraceContextPropagator.normalizedTracestate("a=1,a=2") == "a=1")
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

    // MARK: W3C Trace Context Level 2 (issue 20)

    @Test("tracestate keys by Level 2's grammar: a-z or 0-9 first, then a-z 0-9 _ - * / @, at most 256",
          arguments: [
              ("foo@@bar=1", "foo@@bar=1"), ("foo@bar@baz=1", "foo@bar@baz=1"), ("foo@=1", "foo@=1"),
              ("t@v=1", "t@v=1"), ("1abc=x", "1abc=x"), ("a_-*/@9=x", "a_-*/@9=x"),
              (String(repeating: "z", count: 256) + "=1", String(repeating: "z", count: 256) + "=1"),
          ])
    func level2Keys(header: String, kept: String) {
        #expect(TraceContextPropagator.normalizedTracestate(header) == kept)
        #expect(TraceContextPropagator.normalizedTracestate(header + ",bar=2") == kept + ",bar=2")
    }

    @Test("an invalid member is dropped, its valid neighbours kept",
          arguments: ["@foo=1", "FOO=1", "foo.bar=1", "foo =1", "_a=1", "foo=bar=baz", "foo=", "foo=a\u{7F}",
                      String(repeating: "z", count: 257) + "=1", "foo=" + String(repeating: "v", count: 257)])
    func invalidMemberDropped(member: String) {
        #expect(TraceContextPropagator.normalizedTracestate("rojo=1," + member + ",congo=2") == "rojo=1,congo=2", "\(member)")
        #expect(TraceContextPropagator.normalizedTracestate(member) == nil, "\(member)")
    }

    @Test("duplicated keys: the first member of a key is kept, the list with it")
    func duplicatedKeys() {
        #expect(TraceContextPropagator.normalizedTracestate("foo=1,foo=1") == "foo=1")
        #expect(TraceContextPropagator.normalizedTracestate("foo=1,foo=2") == "foo=1")
        #expect(TraceContextPropagator.normalizedTracestate("foo=1,bar=2,foo=3,baz=4") == "foo=1,bar=2,baz=4")
        var context = ServiceContext.topLevel
        TraceContextPropagator().extract(
            ["traceparent": "00-12345678901234567890123456789012-1234567890123456-00", "tracestate": "foo=1,foo=2"],
            into: &context, using: DictionaryExtractor())
        #expect(context.spanContext?.traceState == "foo=1")
    }

    @Test("lists discarded whole: no list (a member without =), more than 32 members; 32 are kept")
    func discardedWhole() {
        #expect(TraceContextPropagator.normalizedTracestate("foo=1,bar") == nil)
        #expect(TraceContextPropagator.normalizedTracestate("foobar") == nil)
        let thirtyTwo = (1...32).map { "bar\($0)=\($0)" }
        #expect(TraceContextPropagator.normalizedTracestate(thirtyTwo.joined(separator: ",")) == thirtyTwo.joined(separator: ","))
        #expect(TraceContextPropagator.normalizedTracestate((thirtyTwo + ["bar33=33"]).joined(separator: ",")) == nil)
        // Empty members and optional whitespace are not members.
        #expect(TraceContextPropagator.normalizedTracestate(" \t foo=1 \t , , \tbar=2") == "foo=1,bar=2")
        #expect(TraceContextPropagator.normalizedTracestate("foo= 1") == "foo= 1", "a value's leading space is its own")
    }

    @Test("Level 2's random flag: kept when the trace is continued, set on traces SpanLog starts, other bits zeroed")
    func randomFlag() throws {
        let (tracer, _, _, _) = makeTracer(sampler: ParentBasedSampler(root: ConstantSampler(.recordAndSample)))
        for (incoming, outgoing) in [("03", "03"), ("02", "02"), ("01", "01"), ("00", "00"), ("ff", "03"), ("fe", "02")] {
            var context = ServiceContext.topLevel
            tracer.extract(["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-\(incoming)"], into: &context, using: DictionaryExtractor())
            let remote = try #require(context.spanContext)
            #expect(remote.traceFlags.rawValue == UInt8(outgoing, radix: 16), "extracted \(incoming)")
            let server = tracer.startSpan("server", context: context, ofKind: .server)
            var carrier: [String: String] = [:]
            tracer.inject(server.context, into: &carrier, using: DictionaryInjector())
            #expect(carrier["traceparent"]?.hasSuffix("-\(outgoing)") == true, "\(incoming) continued as \(carrier["traceparent"] ?? "-")")
            #expect(server.spanContext.traceID == remote.traceID)
            server.end()
        }
        let root = tracer.startSpan("root", context: .topLevel)
        #expect(root.spanContext.traceFlags == [.sampled, .random])
        root.end()
        // A parent with a valid trace id but no valid span id: the id is kept, it is not SpanLog's
        // random one, so no random flag.
        var halfParent = ServiceContext.topLevel
        halfParent.spanContext = SpanContext(traceID: TraceID(high: 1, low: 2), spanID: .invalid, traceFlags: [])
        let inherited = tracer.startSpan("inherited", context: halfParent)
        #expect(inherited.spanContext.traceID == TraceID(high: 1, low: 2))
        #expect(!inherited.spanContext.traceFlags.contains(.random))
        inherited.end()
        let (unsampledTracer, _, _, _) = makeTracer(sampler: ConstantSampler(.recordOnly))
        let unsampled = unsampledTracer.startSpan("root", context: .topLevel)
        #expect(unsampled.spanContext.traceFlags == [.random])
        unsampled.end()
    }
}
