import Instrumentation
import SpanLog
import Synchronization
import Tracing

/// An exporter that keeps every batch, for assertions.
final class CollectingExporter: SpanExporter {
    let spans = Mutex<[SpanRecord]>([])
    let batches = Mutex(0)

    func export(_ batch: [SpanRecord]) async throws {
        self.spans.withLock { $0.append(contentsOf: batch) }
        self.batches.withLock { $0 += 1 }
    }

    var exported: [SpanRecord] { self.spans.withLock { $0 } }
}

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
    exporter: CollectingExporter? = CollectingExporter()
) -> (SpanLogTracer, InMemorySink, CollectingExporter?, Logger) {
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
