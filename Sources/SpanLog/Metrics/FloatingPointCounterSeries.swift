import CoreMetrics
import Synchronization

/// A floating-point counter's series (swift-metrics `FloatingPointCounter`): the sum's bits in
/// one atomic word, added to with a compare-and-swap loop; exemplars as for `CounterSeries`.
///
/// ```swift
/// let bytes = FloatingPointCounter(label: "bytes_total", factory: factory)
/// bytes.increment(by: 1.5)
/// ```
final class FloatingPointCounterSeries: FloatingPointCounterHandler, MetricSeries {
    let attributes: [(key: String, value: String)]
    private let filter: MetricExemplarFilter
    private let bits = Atomic<UInt64>(0)
    private let startTime = Atomic<UInt64>(0)
    private let reservoir = Mutex(FixedSizeExemplarReservoir())
    private let baseline = Mutex(DeltaBaseline<Double>(total: 0))

    init(attributes: [(key: String, value: String)], filter: MetricExemplarFilter) {
        self.attributes = attributes
        self.filter = filter
    }

    func increment(by amount: Double) {
        guard amount > 0, amount.isFinite else { return }
        self.startTime.markFirstRecording()
        self.bits.addDouble(amount)
        if let context = self.filter.spanContextForExemplar() {
            let exemplar = MetricExemplar(value: .double(amount), time: MetricClock.now(), traceID: context.traceID, spanID: context.spanID)
            self.reservoir.withLock { $0.offer(exemplar) }
        }
    }

    /// Starts the sum over: a new cumulative stream, starting now.
    func reset() {
        self.bits.store(Double(0).bitPattern, ordering: .relaxed)
        self.startTime.store(MetricClock.now(), ordering: .relaxed)
    }

    func collect(temporality: MetricTemporality, now: UInt64) -> MetricPoint? {
        let start = self.startTime.load(ordering: .relaxed)
        guard start != 0 else { return nil }
        let total = Double(bitPattern: self.bits.load(ordering: .relaxed))
        let exemplars = self.reservoir.withLock { $0.take() }
        switch temporality {
        case .cumulative:
            return MetricPoint(attributes: self.attributes, startTime: start, time: now, value: .double(total), exemplars: exemplars)
        case .delta:
            return self.baseline.withLock { baseline -> MetricPoint? in
                let (previous, from) = baseline.advance(to: total, at: now, seriesStart: start, zero: 0)
                guard total != previous || !exemplars.isEmpty else { return nil }
                return MetricPoint(attributes: self.attributes, startTime: from, time: now, value: .double(total - previous), exemplars: exemplars)
            }
        }
    }
}
