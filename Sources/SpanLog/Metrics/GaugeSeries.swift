import CoreMetrics
import Synchronization

/// A gauge's series: swift-metrics `Meter` and `Gauge` and non-aggregating `Recorder` — the last
/// value set (or the running total of increments and decrements), as a `Double` in one atomic
/// word. Gauges take no exemplars.
///
/// ```swift
/// let queued = Meter(label: "jobs_queued", factory: factory)
/// queued.set(12)
/// ```
final class GaugeSeries: MeterHandler, RecorderHandler, MetricSeries {
    let attributes: [(key: String, value: String)]
    private let bits = Atomic<UInt64>(Double(0).bitPattern)
    private let startTime = Atomic<UInt64>(0)
    /// How many times the value changed: a delta collection reports the gauge only when it did.
    private let updates = Atomic<UInt64>(0)
    private let baseline = Mutex(DeltaBaseline<UInt64>(total: 0))

    init(attributes: [(key: String, value: String)]) {
        self.attributes = attributes
    }

    func set(_ value: Int64) {
        self.set(Double(value))
    }

    func set(_ value: Double) {
        self.startTime.markFirstRecording()
        self.bits.store(value.bitPattern, ordering: .relaxed)
        self.updates.wrappingAdd(1, ordering: .relaxed)
    }

    func increment(by amount: Double) {
        self.startTime.markFirstRecording()
        self.bits.addDouble(amount)
        self.updates.wrappingAdd(1, ordering: .relaxed)
    }

    func decrement(by amount: Double) {
        self.increment(by: -amount)
    }

    func record(_ value: Int64) {
        self.set(Double(value))
    }

    func record(_ value: Double) {
        self.set(value)
    }

    func collect(temporality: MetricTemporality, now: UInt64) -> MetricPoint? {
        let start = self.startTime.load(ordering: .relaxed)
        guard start != 0 else { return nil }
        let value = Double(bitPattern: self.bits.load(ordering: .relaxed))
        switch temporality {
        case .cumulative:
            return MetricPoint(attributes: self.attributes, startTime: start, time: now, value: .double(value))
        case .delta:
            let updates = self.updates.load(ordering: .relaxed)
            return self.baseline.withLock { baseline -> MetricPoint? in
                let from = baseline.time ?? start
                let changed = baseline.time == nil || updates != baseline.total
                baseline = DeltaBaseline(time: now, total: updates)
                return changed ? MetricPoint(attributes: self.attributes, startTime: from, time: now, value: .double(value)) : nil
            }
        }
    }
}
