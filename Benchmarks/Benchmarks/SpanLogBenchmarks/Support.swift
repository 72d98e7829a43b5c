import Benchmark
import SpanLog
import Synchronization

/// A sink that only counts bytes, so that the benchmark measures the caller's side of the
/// pipeline (filters, encoding) and nothing of I/O.
final class DiscardingSink: LogSink {
    let bytes = Atomic<Int>(0)
    func write(_ record: UnsafeRawBufferPointer) {
        bytes.add(record.count, ordering: .relaxed)
    }
    func flush() {}
    func shutdown() {}
}

/// Malloc counts are deterministic, so CI checks them as absolute thresholds; wall-clock time on
/// a shared 2-core machine is not, so it is reported and never checked.
func configuration(scaling: BenchmarkScalingFactor = .kilo) -> Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: scaling,
        maxDuration: .seconds(2),
        // Counts are per 1000 calls (scaled); 100 absorbs allocations of background threads
        // (writer, exporter) that land in a sample, while one extra allocation per call (+1000)
        // fails the check.
        thresholds: [.mallocCountTotal: BenchmarkThresholds(absolute: [.p90: 100])]
    )
}
