import Instrumentation
import SpanLog
import SpanLogTesting
import Synchronization
import Tracing

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}

/// A tracer with fast batching, an in-memory log sink and a collecting exporter.
func makeTracer(
    sampler: any SpanLogSampler = ConstantSampler(.recordAndSample),
    logSpans: SpanLogging = .all,
    tail: TailSampler.Configuration? = TailSampler.Configuration(),
    exporter: InMemorySpanExporter? = InMemorySpanExporter()
) -> (SpanLogTracer, InMemorySink, InMemorySpanExporter?, Logger) {
    let sink = InMemorySink()
    let pipeline = LogPipeline(levels: LevelFilter(default: .trace), sinks: [sink])
    let tracer = SpanLogTracer(
        configuration: SpanLogTracer.Configuration(
            resource: SpanLogResource(serviceName: "test-service", attributes: ["deployment.environment": "test"]),
            sampler: sampler,
            logSpans: logSpans,
            tailSampling: tail,
            batching: BatchSpanProcessor.Configuration(scheduleDelayMilliseconds: 10)
        ),
        logPipeline: pipeline,
        exporter: exporter
    )
    let logger = Logger(label: "app") { SpanLogHandler(label: $0, pipeline: pipeline) }
    return (tracer, sink, exporter, logger)
}

import Logging

/// An instant `milliseconds` after a fixed origin, for spans with exact durations.
func instant(_ milliseconds: UInt64) -> DefaultTracerClock.Timestamp {
    DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_764_000_000_000_000_000 + milliseconds * 1_000_000)
}
