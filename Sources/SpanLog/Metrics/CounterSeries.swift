import CoreMetrics
import Synchronization

/// A counter's series (swift-metrics `Counter`): an atomic sum, plus a one-slot exemplar
/// reservoir touched only for values recorded inside a sampled span. An increment on an
/// existing series is one atomic add (and one load for its start time): no lock, no allocation.
///
/// ```swift
/// let counter = Counter(label: "jobs_total", factory: factory)   // a CounterSeries behind it
/// counter.increment()
/// ```
final class CounterSeries: CounterHandler, MetricSeries {
    let attributes: [(key: String, value: String)]
    private let filter: MetricExemplarFilter
    private let value = Atomic<Int64>(0)
    private let startTime = Atomic<UInt64>(0)
    private let reservoir = Mutex(FixedSizeExemplarReservoir())
    private let baseline = Mutex(DeltaBaseline<Int64>(total: 0))

    init(attributes: [(key: String, value: String)], filter: MetricExemplarFilter) {
        self.attributes = attributes
        self.filter = filter
    }

    func increment(by amount: Int64) {
        guard amount > 0 else { return }
        self.startTime.markFirstRecording()
        self.value.wrappingAdd(amount, ordering: .relaxed)
        if let context = self.filter.spanContextForExemplar() {
            let exemplar = MetricExemplar(value: .integer(amount), time: MetricClock.now(), traceID: context.traceID, spanID: context.spanID)
            self.reservoir.withLock { $0.offer(exemplar) }
        }
    }

    /// Starts the count over: a new cumulative stream, starting now.
    func reset() {
        self.value.store(0, ordering: .relaxed)
        self.startTime.store(MetricClock.now(), ordering: .relaxed)
    }

    func collect(temporality: MetricTemporality, now: UInt64) -> MetricPoint? {
        let start = self.startTime.load(ordering: .relaxed)
        guard start != 0 else { return nil }
        let total = self.value.load(ordering: .relaxed)
        let exemplars = self.reservoir.withLock { $0.take() }
        switch temporality {
        case .cumulative:
            return MetricPoint(attributes: self.attributes, startTime: start, time: now, value: .integer(total), exemplars: exemplars)
        case .delta:
            return self.baseline.withLock { baseline -> MetricPoint? in
                let (previous, from) = baseline.advance(to: total, at: now, seriesStart: start, zero: 0)
                guard total != previous || !exemplars.isEmpty else { return nil }
                return MetricPoint(attributes: self.attributes, startTime: from, time: now, value: .integer(total &- previous), exemplars: exemplars)
            }
        }
    }
}
