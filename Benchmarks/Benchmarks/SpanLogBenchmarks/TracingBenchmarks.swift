import Benchmark
import Foundation
import SpanLog
import Tracing

/// Exports nothing, as fast as possible, so the benchmark measures the caller's side.
struct DiscardingExporter: SpanExporter {
    func export(_ batch: [SpanRecord]) async throws {}
}

/// The measured unit: one span, started, given two attributes, ended.
@inline(__always)
func spanWithTwoAttributes(_ tracer: SpanLogTracer) {
    let span = tracer.startSpan("checkout", context: .topLevel)
    span.attributes["http.method"] = "GET"
    span.attributes["http.status_code"] = 200
    span.end()
}

/// The same unit through `any Tracer`, as code that uses the bootstrapped tracer calls it.
@inline(__always)
func anySpanWithTwoAttributes(_ tracer: any Tracer) {
    let span = tracer.startAnySpan("checkout", context: .topLevel)
    span.attributes["http.method"] = "GET"
    span.attributes["http.status_code"] = 200
    span.end()
}

/// The span figures, in one run: start + end with two attributes when head-sampled, when
/// recorded only (a tail candidate that ends normally), with telemetry off (which installs
/// `NoOpTracer`), and `NoOpTracer` itself.
func tracingBenchmarks() {
    let sampled = SpanLogTracer(
        configuration: .init(sampler: ConstantSampler(.recordAndSample), logSpans: .none),
        exporter: DiscardingExporter()
    )
    Benchmark("span_head_sampled", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations { spanWithTwoAttributes(sampled) }
    }

    let recordOnly = SpanLogTracer(
        configuration: .init(sampler: ParentBasedSampler(root: ConstantSampler(.drop)), logSpans: .none),
        exporter: DiscardingExporter()
    )
    Benchmark("span_record_only", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations { spanWithTwoAttributes(recordOnly) }
    }

    let pipeline = LogPipeline(sinks: [DiscardingSink()])
    let sampledWithRecords = SpanLogTracer(
        configuration: .init(sampler: ConstantSampler(.recordAndSample), logSpans: .all),
        logPipeline: pipeline,
        exporter: DiscardingExporter()
    )
    Benchmark("span_head_sampled_with_span_record", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations { spanWithTwoAttributes(sampledWithRecords) }
    }

    // The same with the resource `TelemetryConfiguration.fromEnvironment` detects (SDK, instance,
    // host, process, runtime, three Kubernetes attributes): the resource goes into every record.
    let detected = SpanLogResource.detected(serviceName: "checkout", environment: [
        "POD_NAME": "checkout-7d9f8b6c5-x2x4q", "POD_NAMESPACE": "shop", "NODE_NAME": "ip-10-0-12-34.eu-west-1.compute.internal",
    ])
    let sampledWithDetectedResource = SpanLogTracer(
        configuration: .init(resource: detected, sampler: ConstantSampler(.recordAndSample), logSpans: .all),
        logPipeline: pipeline,
        exporter: DiscardingExporter()
    )
    Benchmark("span_head_sampled_with_span_record_detected_resource", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations { spanWithTwoAttributes(sampledWithDetectedResource) }
    }

    let off = Telemetry.make(TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "false", "LOG_FORMAT": "json"]))
    let offTracer: any Tracer = off.tracer ?? NoOpTracer()
    Benchmark("span_telemetry_off", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations { anySpanWithTwoAttributes(offTracer) }
    }

    let noOp: any Tracer = NoOpTracer()
    Benchmark("span_noop_tracer", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations { anySpanWithTwoAttributes(noOp) }
    }

    // The floor under every row above: what the two `attributes[key] = value` writes cost by
    // themselves (a `SpanAttributes` dictionary made with room for eight, two hashed inserts of
    // values converted through `SpanAttributeConvertible`), with no span and no tracer.
    Benchmark("span_attributes_alone", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            var attributes = SpanAttributes(Dictionary(minimumCapacity: 8))
            attributes["http.method"] = "GET"
            attributes["http.status_code"] = 200
            blackHole(attributes)
        }
    }

    let residentDelta = BenchmarkMetric.custom("resident_kb_delta", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark(
        "memory_default_tracer_10k_spans",
        configuration: .init(metrics: [residentDelta], maxIterations: 1, thresholds: [:])
    ) { benchmark in
        // Resident memory of a tracer with default settings (2 %, tail rule, batching to an
        // exporter) after 10k spans: what bootstrapping telemetry costs a process.
        let before = residentKilobytes()
        let telemetry = Telemetry.make(
            TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true", "OTEL_EXPORTER": "console", "LOG_SPANS": "none", "LOG_FORMAT": "json"]),
            exporters: nil
        )
        if let tracer = telemetry.tracer {
            for _ in 0..<10_000 {
                tracer.withSpan("work") { span in span.attributes["n"] = 1 }
            }
        }
        benchmark.measurement(residentDelta, residentKilobytes() - before)
        blackHole(telemetry)
    }
}

/// VmRSS of this process, in KiB.
func residentKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}
