import Benchmark
import CoreMetrics
import OTel
import SpanLog

/// One counter increment and one timer record on an existing series, outside any span, through
/// swift-metrics' `Counter` and `Timer`: SpanLog's backend and swift-otel's, same run.
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(2)
    )
    let dimensions = [("route", "/users/{id}"), ("status_class", "2xx")]

    let spanLog = SpanLogMetricsFactory()
    let spanLogCounter = Counter(label: "requests_total", dimensions: dimensions, factory: spanLog)
    let spanLogTimer = Timer(label: "request_duration_seconds", dimensions: dimensions, factory: spanLog)

    var exemplarsOff = SpanLogMetricsFactory.Configuration()
    exemplarsOff.exemplarFilter = .alwaysOff
    let spanLogNoExemplars = SpanLogMetricsFactory(configuration: exemplarsOff)
    let spanLogCounterNoExemplars = Counter(label: "requests_total", dimensions: dimensions, factory: spanLogNoExemplars)

    var otelConfiguration = OTel.Configuration.default
    otelConfiguration.metrics.exporter = .none
    otelConfiguration.traces.enabled = false
    otelConfiguration.logs.enabled = false
    let otel: any MetricsFactory
    do {
        otel = try OTel.makeMetricsBackend(configuration: otelConfiguration).factory
    } catch {
        fatalError("swift-otel's metrics backend: \(error)")
    }
    let otelCounter = Counter(label: "requests_total", dimensions: dimensions, factory: otel)
    let otelTimer = Timer(label: "request_duration_seconds", dimensions: dimensions, factory: otel)

    Benchmark("spanlog_counter_increment", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { spanLogCounter.increment() }
    }
    Benchmark("spanlog_counter_increment_exemplars_off", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { spanLogCounterNoExemplars.increment() }
    }
    Benchmark("swiftotel_counter_increment", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { otelCounter.increment() }
    }
    Benchmark("spanlog_timer_record", configuration: configuration) { benchmark in
        for iteration in benchmark.scaledIterations { spanLogTimer.recordNanoseconds(Int64(1_000_000 + iteration)) }
    }
    Benchmark("swiftotel_timer_record", configuration: configuration) { benchmark in
        for iteration in benchmark.scaledIterations { otelTimer.recordNanoseconds(Int64(1_000_000 + iteration)) }
    }
}
