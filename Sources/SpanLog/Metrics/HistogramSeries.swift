import CoreMetrics
import Synchronization

/// An explicit-bucket histogram's series: swift-metrics aggregating `Recorder`s (values as they
/// are) and `Timer`s (nanoseconds recorded as seconds). The bucket is found before the lock; the
/// lock covers a few additions into storage allocated with the series, and, for a value recorded
/// inside a sampled span, the bucket's exemplar slot (`BucketExemplarReservoir`). A record on an
/// existing series allocates nothing.
///
/// ```swift
/// let latency = Timer(label: "db_query_duration", factory: factory)   // unit s
/// latency.recordNanoseconds(1_500_000)                                  // 0.0015 s
/// ```
final class HistogramSeries: RecorderHandler, TimerHandler, MetricSeries {
    private struct State {
        var count: UInt64 = 0
        var sum: Double = 0
        var min = Double.infinity
        var max = -Double.infinity
        /// Since the previous delta collection.
        var intervalMin = Double.infinity
        var intervalMax = -Double.infinity
        var bucketCounts: [UInt64]
        var exemplars: BucketExemplarReservoir
    }

    private struct Totals {
        var count: UInt64 = 0
        var sum: Double = 0
        var bucketCounts: [UInt64] = []
    }

    let attributes: [(key: String, value: String)]
    /// Upper bounds, ascending (bucket `i` holds `bounds[i-1] < v <= bounds[i]`).
    let bounds: [Double]
    private let filter: MetricExemplarFilter
    private let startTime = Atomic<UInt64>(0)
    private let state: Mutex<State>
    private let baseline = Mutex(DeltaBaseline(total: Totals()))

    init(attributes: [(key: String, value: String)], bounds: [Double], filter: MetricExemplarFilter) {
        self.attributes = attributes
        self.bounds = bounds
        self.filter = filter
        let buckets = bounds.count + 1
        self.state = Mutex(State(bucketCounts: Array(repeating: 0, count: buckets), exemplars: BucketExemplarReservoir(bucketCount: buckets)))
    }

    func record(_ value: Int64) {
        self.record(Double(value))
    }

    func record(_ value: Double) {
        guard !value.isNaN else { return }
        self.startTime.markFirstRecording()
        let bucket = self.bucket(of: value)
        var exemplar: MetricExemplar?
        if let context = self.filter.spanContextForExemplar() {
            exemplar = MetricExemplar(value: .double(value), time: MetricClock.now(), traceID: context.traceID, spanID: context.spanID)
        }
        self.state.withLock { state in
            state.count &+= 1
            state.sum += value
            if value < state.min { state.min = value }
            if value > state.max { state.max = value }
            if value < state.intervalMin { state.intervalMin = value }
            if value > state.intervalMax { state.intervalMax = value }
            state.bucketCounts[bucket] &+= 1
            if let exemplar { state.exemplars.offer(exemplar, bucket: bucket) }
        }
    }

    func recordNanoseconds(_ duration: Int64) {
        self.record(Double(duration) / 1_000_000_000)
    }

    /// The first bucket whose upper bound is at least `value` (binary search); the last bucket
    /// for values above every bound.
    @inline(__always)
    func bucket(of value: Double) -> Int {
        var low = 0
        var high = self.bounds.count
        while low < high {
            let middle = (low + high) / 2
            if value <= self.bounds[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }

    func collect(temporality: MetricTemporality, now: UInt64) -> MetricPoint? {
        let start = self.startTime.load(ordering: .relaxed)
        guard start != 0 else { return nil }
        let resetInterval = temporality == .delta
        let (state, exemplars) = self.state.withLock { state -> (State, [MetricExemplar]) in
            var copy = state
            // A buffer of its own: sharing the series' would make the next record copy it.
            copy.bucketCounts = state.bucketCounts.map { $0 }
            if resetInterval {
                state.intervalMin = .infinity
                state.intervalMax = -.infinity
            }
            return (copy, state.exemplars.take())
        }
        switch temporality {
        case .cumulative:
            let value = HistogramValue(
                count: state.count, sum: state.sum, min: state.count > 0 ? state.min : nil, max: state.count > 0 ? state.max : nil,
                bounds: self.bounds, bucketCounts: state.bucketCounts)
            return MetricPoint(attributes: self.attributes, startTime: start, time: now, value: .histogram(value), exemplars: exemplars)
        case .delta:
            return self.baseline.withLock { baseline -> MetricPoint? in
                let previous = baseline.total
                let from = baseline.time ?? start
                baseline = DeltaBaseline(time: now, total: Totals(count: state.count, sum: state.sum, bucketCounts: state.bucketCounts))
                let count = state.count &- previous.count
                guard count > 0 else { return nil }
                var bucketCounts = state.bucketCounts
                if previous.bucketCounts.count == bucketCounts.count {
                    for index in bucketCounts.indices { bucketCounts[index] &-= previous.bucketCounts[index] }
                }
                let value = HistogramValue(
                    count: count, sum: state.sum - previous.sum, min: state.intervalMin.isFinite ? state.intervalMin : nil,
                    max: state.intervalMax.isFinite ? state.intervalMax : nil, bounds: self.bounds, bucketCounts: bucketCounts)
                return MetricPoint(attributes: self.attributes, startTime: from, time: now, value: .histogram(value), exemplars: exemplars)
            }
        }
    }
}
