import Benchmark

let benchmarks: @Sendable () -> Void = {
    loggingBenchmarks()
    tracingBenchmarks()
    fileSinkBenchmarks()
    metricsBenchmarks()
}
