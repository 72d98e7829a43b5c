import Instrumentation
@testable import SpanLog
import Testing
import Tracing

@Suite("SpanContextEntry: SpanLog's ServiceContext entry without the generic subscript")
struct SpanContextEntryTests {
    private enum OtherKey: ServiceContextKey {
        typealias Value = String
    }

    static let ids = SpanContext(traceID: TraceID(high: 7, low: 8), spanID: SpanID(rawValue: 9), traceFlags: .sampled)

    @Test("the direct path is in use with this swift-distributed-tracing")
    func usable() {
        #expect(SpanContextEntry.isUsable)
    }

    @Test("what one path writes, the other reads; other entries and copies stay as they were")
    func agreesWithTheSubscript() throws {
        var original = ServiceContext.topLevel
        original[OtherKey.self] = "kept"
        let holder = SpanContextHolder(Self.ids)

        var direct = original
        SpanContextEntry.set(holder, in: &direct)
        #expect(direct[SpanContextKey.self] === holder)
        #expect(direct[OtherKey.self] == "kept")
        #expect(direct.count == 2)
        // Value semantics: the context it was copied from did not change.
        #expect(original[SpanContextKey.self] == nil)
        #expect(SpanContextEntry.holder(in: original) == nil)
        #expect(original.count == 1)

        var bySubscript = original
        bySubscript[SpanContextKey.self] = holder
        #expect(SpanContextEntry.holder(in: bySubscript) === holder)

        let replacement = SpanContextHolder(SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1)))
        let before = direct
        SpanContextEntry.set(replacement, in: &direct)
        #expect(direct[SpanContextKey.self] === replacement)
        #expect(before[SpanContextKey.self] === holder)

        SpanContextEntry.set(nil, in: &direct)
        #expect(direct[SpanContextKey.self] == nil)
        #expect(direct[OtherKey.self] == "kept")
        #expect(SpanContextEntry.holder(in: .topLevel) == nil)
    }

    @Test("spanContext, the tracer's spans and the task-local all go through it consistently")
    func throughThePublicSurface() throws {
        var context = ServiceContext.topLevel
        context.spanContext = Self.ids
        #expect(context.spanContext == Self.ids)
        #expect(context[SpanContextKey.self]?.spanContext == Self.ids)

        let tracer = SpanLogTracer(configuration: .init(sampler: ConstantSampler(.recordAndSample), logSpans: .none))
        let parent = tracer.startSpan("parent", context: context)
        let child = tracer.startSpan("child", context: parent.context)
        #expect(child.spanContext.traceID == Self.ids.traceID)
        #expect(child.spanContext.parentSpanID == parent.spanContext.spanID)
        #expect(tracer.activeSpan(identifiedBy: child.context)?.spanContext == child.spanContext)
        ServiceContext.$current.withValue(child.context) {
            #expect(SpanContext.current == child.spanContext)
        }
        child.end()
        parent.end()
    }
}
