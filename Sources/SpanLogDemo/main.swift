import Logging
import SpanLog
import Tracing

// A first demo: log through SpanLog inside and outside a span context.
let pipeline = LogPipeline(sinks: [ConsoleSink.standardOutput])
let logger = Logger(label: "spanlog.demo") { SpanLogHandler(label: $0, pipeline: pipeline) }

logger.info("demo starting")
var context = ServiceContext.topLevel
context.spanContext = SpanContext(
    traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736),
    spanID: SpanID(rawValue: 0x00f0_67aa_0ba9_02b7),
    traceFlags: .sampled
)
ServiceContext.withValue(context) {
    logger.info("inside a span", metadata: ["user": "42", "password": "hunter2"])
}
pipeline.shutdown()
