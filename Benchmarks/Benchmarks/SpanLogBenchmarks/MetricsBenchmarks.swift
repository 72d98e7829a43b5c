import Benchmark
import CoreMetrics
import SpanLog

/// SpanLog's metrics backend on the recording side: one counter increment and one timer record
/// on an existing series, outside any span (no exemplar), through swift-metrics' `Counter` and
/// `Timer` as application code calls them.
func metricsBenchmarks() {
    let factory = SpanLogMetricsFactory()
    let counter = Counter(label: "requests_total", dimensions: [("route", "/users/{id}"), ("status_class", "2xx")], factory: factory)
    Benchmark("metrics_counter_increment", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations { counter.increment() }
    }

    let timer = Timer(label: "request_duration_seconds", dimensions: [("route", "/users/{id}"), ("status_class", "2xx")], factory: factory)
    Benchmark("metrics_timer_record", configuration: configuration()) { benchmark in
        for iteration in benchmark.scaledIterations { timer.recordNanoseconds(Int64(1_000_000 + iteration)) }
    }
}
