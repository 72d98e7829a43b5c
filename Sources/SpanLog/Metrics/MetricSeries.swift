import SpanLogFormat
import Synchronization

/// One label set of one instrument: what the backend's swift-metrics handlers are, and what a
/// collection turns into a ``MetricPoint``. Each kind of instrument has its own class
/// (`CounterSeries`, `HistogramSeries`, …); the factory hands the same object to every handler
/// made for the same name and label set.
///
/// ```swift
/// let point = series.collect(temporality: .delta, now: MetricClock.now())
/// ```
protocol MetricSeries: AnyObject, Sendable {
    /// The label set, in the order the first handler gave it.
    var attributes: [(key: String, value: String)] { get }
    /// The series' point at `now`, or `nil` when there is nothing to report (never recorded; for
    /// delta, nothing recorded since the previous collection). Collections are serialized by
    /// the factory.
    func collect(temporality: MetricTemporality, now: UInt64) -> MetricPoint?
}

/// The metrics' wall clock: nanoseconds since the Unix epoch, from `RecordTime` (one
/// `clock_gettime`).
///
/// ```swift
/// let now = MetricClock.now()
/// ```
enum MetricClock {
    @inline(__always)
    static func now() -> UInt64 {
        UInt64(clamping: RecordTime.now().nanosecondsSinceEpoch)
    }
}

/// What a delta collection remembers of the previous one: when it was, and the cumulative
/// totals it saw.
///
/// ```swift
/// let baseline = Mutex(DeltaBaseline<Int64>(total: 0))
/// ```
struct DeltaBaseline<Total: Sendable>: Sendable {
    /// The previous delta collection's time; `nil` before the first.
    var time: UInt64?
    /// The totals it saw.
    var total: Total
}

extension DeltaBaseline where Total: Comparable {
    /// One delta collection of a monotonic sum at `total`: the total the interval starts from
    /// (`zero` when the sum went below the previous one: it was reset) and the interval's start
    /// time; the baseline moves on to `total` at `now`.
    mutating func advance(to total: Total, at now: UInt64, seriesStart: UInt64, zero: Total) -> (previous: Total, from: UInt64) {
        let previous = total >= self.total ? self.total : zero
        let from = self.time ?? seriesStart
        self = DeltaBaseline(time: now, total: total)
        return (previous, from)
    }
}

extension Atomic where Value == UInt64 {
    /// Stores the current time if nothing was stored yet (a series' first recording): one load
    /// on every later call, the clock read once.
    @inline(__always)
    func markFirstRecording() {
        if self.load(ordering: .relaxed) == 0 {
            _ = self.compareExchange(expected: 0, desired: MetricClock.now(), ordering: .relaxed)
        }
    }

    /// Adds `amount` to the `Double` whose bits this atomic holds.
    @inline(__always)
    func addDouble(_ amount: Double) {
        var current = self.load(ordering: .relaxed)
        while true {
            let updated = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = self.weakCompareExchange(expected: current, desired: updated, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
