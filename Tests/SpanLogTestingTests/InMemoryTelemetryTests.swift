import Logging
import SpanLog
import SpanLogTesting
import Testing
import Tracing

@Suite("SpanLogTesting: what users test their own logging and tracing with")
struct InMemoryTelemetryTests {
    @Test("a log line inside a span carries the span's ids; the span is recorded and exported")
    func logsAndSpans() async throws {
        let telemetry = InMemoryTelemetry()
        let logger = telemetry.logger(label: "checkout")
        telemetry.tracer.withSpan("place-order") { span in
            span.attributes["order.id"] = "42"
            logger.info("order placed", metadata: ["items": "3"])
        }
        logger.info("outside")
        await telemetry.flush()

        let span = try #require(telemetry.spans.first)
        #expect(span.name == "place-order")
        let inside = try #require(telemetry.logs.first { $0.message == "order placed" })
        #expect(inside.traceID == span.traceID && inside.spanID == span.spanID)
        #expect(inside.logger == "checkout" && inside.string("items") == "3")
        #expect(telemetry.logs.first { $0.message == "outside" }?.traceID == nil)
        #expect(telemetry.exporter.exported.map(\.name) == ["place-order"])
        #expect(telemetry.exporter.exported.first?.context.traceID.description == span.traceID)
        telemetry.sink.clear()
        #expect(telemetry.records.isEmpty)
        await telemetry.shutdown()
        telemetry.tracer.withSpan("after shutdown") { _ in }
        await telemetry.flush()
        #expect(telemetry.spans.map(\.name) == ["after shutdown"], "still written")
        #expect(telemetry.exporter.exported.map(\.name) == ["place-order"], "no longer exported")
    }

    @Test("an unsampled trace is written but not exported")
    func unsampled() async throws {
        let telemetry = InMemoryTelemetry(sampler: ConstantSampler(.recordOnly))
        telemetry.tracer.withSpan("quiet") { _ in }
        await telemetry.flush()
        #expect(telemetry.spans.map(\.name) == ["quiet"])
        #expect(telemetry.exporter.exported.isEmpty)
        await telemetry.shutdown()
    }
}
