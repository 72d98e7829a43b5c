import Instrumentation
@testable import SpanLog
import Testing

@Suite("the per-thread cache behind SpanContext.current")
struct CurrentSpanContextCacheTests {
    static func context(_ traceLow: UInt64, span: UInt64) -> ServiceContext {
        var context = ServiceContext.topLevel
        context.spanContext = SpanContext(traceID: TraceID(high: 1, low: traceLow), spanID: SpanID(rawValue: span), traceFlags: .sampled)
        return context
    }

    @Test("the shortcut is in use with this swift-distributed-tracing")
    func usable() {
        #expect(CurrentSpanContextCache.isUsable)
    }

    @Test("switching between contexts, changed copies and equal-looking contexts always reads the task's own ids")
    func neverStale() {
        let first = Self.context(1, span: 1)
        let second = Self.context(2, span: 2)
        let lookalike = Self.context(1, span: 1)  // same entries, other storage
        var changed = first
        changed.spanContext = SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 9), traceFlags: [])
        var withoutSpan = first
        withoutSpan.spanContext = nil
        let sequence = [first, first, second, first, changed, first, lookalike, withoutSpan, .topLevel, second, changed]
        for _ in 0..<3 {
            for context in sequence {
                ServiceContext.withValue(context) {
                    #expect(SpanContext.current == context.spanContext)
                    #expect(SpanContext.current == context.spanContext)
                }
            }
        }
        #expect(SpanContext.current == nil)
    }
}
