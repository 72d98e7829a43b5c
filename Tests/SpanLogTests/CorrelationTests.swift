import Foundation
import Instrumentation
import Logging
import SpanLog
import SpanLogTesting
import Testing

@Suite("Trace correlation through the task-local span context")
struct CorrelationTests {
    @Test("records outside any span carry no ids")
    func noSpanNoIds() throws {
        let (logger, sink) = makeLogger()
        logger.info("outside")
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["trace_id"] == nil)
        #expect(object["span_id"] == nil)
        #expect(object["trace_flags"] == nil)
    }

    @Test("nested ServiceContext.withValue: the innermost span wins, the outer one returns after")
    func nested() throws {
        let (logger, sink) = makeLogger()
        let outer = randomSpanContext()
        let inner = SpanContext(traceID: outer.traceID, spanID: SpanID(rawValue: 77), parentSpanID: outer.spanID, traceFlags: [])
        withSpanContext(outer) {
            logger.info("outer-1")
            withSpanContext(inner) { logger.info("inner") }
            logger.info("outer-2")
        }
        let objects = sink.lines.compactMap(parseJSONObject)
        #expect(objects.count == 3)
        #expect(objects[0]["span_id"] as? String == outer.spanID.description)
        #expect(objects[1]["span_id"] as? String == "000000000000004d")
        #expect(objects[1]["trace_flags"] as? String == "00")
        #expect(objects[2]["span_id"] as? String == outer.spanID.description)
        #expect(objects.allSatisfy { $0["trace_id"] as? String == outer.traceID.description })
        #expect(objects[0]["trace_flags"] as? String == "01")
    }

    @Test("child tasks and task groups inherit the span context; concurrent ones do not mix")
    func taskGroups() async throws {
        let (logger, sink) = makeLogger()
        let contexts = (0..<8).map { _ in randomSpanContext() }
        await withTaskGroup(of: Void.self) { group in
            for (index, spanContext) in contexts.enumerated() {
                group.addTask {
                    await withSpanContext(spanContext) {
                        for step in 0..<50 {
                            logger.info("step", metadata: ["task": "\(index)", "step": "\(step)"])
                            await Task.yield()
                        }
                        async let child: Void = {
                            logger.info("child", metadata: ["task": "\(index)"])
                        }()
                        await child
                    }
                }
            }
        }
        let objects = sink.lines.compactMap(parseJSONObject)
        #expect(objects.count == 8 * 51)
        for object in objects {
            let task = try #require(object["task"] as? String)
            let index = try #require(Int(task))
            #expect(object["trace_id"] as? String == contexts[index].traceID.description)
            #expect(object["span_id"] as? String == contexts[index].spanID.description)
        }
    }

    @Test("Task.detached does not inherit task-locals: documented, records carry no ids")
    func detached() async throws {
        let (logger, sink) = makeLogger()
        let spanContext = randomSpanContext()
        await withSpanContext(spanContext) {
            await Task.detached { logger.info("detached") }.value
            // Capturing the context on the caller and re-entering it is the documented fix.
            let captured = ServiceContext.current ?? .topLevel
            await Task.detached {
                ServiceContext.withValue(captured) { logger.info("re-entered") }
            }.value
        }
        let objects = sink.lines.compactMap(parseJSONObject)
        #expect(objects[0]["trace_id"] == nil)
        #expect(objects[1]["trace_id"] as? String == spanContext.traceID.description)
    }

    @Test("SpanContext.logMetadata() and Logger.MetadataProvider.spanLog give other handlers the ids")
    func helpers() throws {
        #expect(SpanContext.logMetadata().isEmpty)
        let spanContext = randomSpanContext()
        withSpanContext(spanContext) {
            let metadata = SpanContext.logMetadata()
            #expect(metadata["trace_id"] == .string(spanContext.traceID.description))
            #expect(metadata["span_id"] == .string(spanContext.spanID.description))
            #expect(Logger.MetadataProvider.spanLog.get() == metadata)
        }
        // Any handler with the provider: here SpanLogHandler without TraceIdFilter.
        let (logger, sink) = makeLogger(filters: [], metadataProvider: Logger.MetadataProvider.spanLog)
        withSpanContext(spanContext) { logger.info("via provider") }
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["trace_id"] as? String == spanContext.traceID.description)
    }

    @Test("Logger.current / withLogger carry the handler and the ids")
    func taskLocalLogger() throws {
        let (logger, sink) = makeLogger(label: "task-local")
        let spanContext = randomSpanContext()
        withLogger(logger) { _ in
            withSpanContext(spanContext) {
                Logger.current.info("from Logger.current")
            }
        }
        let line = try #require(sink.lines.first)
        let object = try #require(parseJSONObject(line))
        #expect(object["logger"] as? String == "task-local")
        #expect(object["trace_id"] as? String == spanContext.traceID.description)
    }
}
