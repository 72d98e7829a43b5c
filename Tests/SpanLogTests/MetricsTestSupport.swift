import CoreMetrics
import SpanLog
import Synchronization

/// A metric exporter that keeps every snapshot it is given.
final class InMemoryMetricExporter: MetricExporter {
    let preferredTemporality: MetricTemporality?
    private let snapshots = Mutex<[MetricsSnapshot]>([])
    private let shutDown = Atomic<Bool>(false)

    init(temporality: MetricTemporality? = nil) {
        self.preferredTemporality = temporality
    }

    func export(_ snapshot: MetricsSnapshot) async throws {
        self.snapshots.withLock { $0.append(snapshot) }
    }

    func shutdown(timeout: Duration) async {
        self.shutDown.store(true, ordering: .relaxed)
    }

    var exported: [MetricsSnapshot] { self.snapshots.withLock { $0 } }
    var wasShutDown: Bool { self.shutDown.load(ordering: .relaxed) }
}

/// A metric exporter whose export hangs for `hang`, ignoring cancellation (bounded, so the test
/// process never keeps a task forever). It waits on a detached task, which the export's
/// cancellation does not reach: it suspends, like an exporter stuck on a socket, instead of
/// spinning on a cancelled sleep.
struct HangingMetricExporter: MetricExporter {
    var hang: Duration = .seconds(5)

    func export(_ snapshot: MetricsSnapshot) async throws {
        let hang = self.hang
        await Task.detached { try? await Task.sleep(for: hang) }.value
    }
}

extension Array where Element == MetricStream {
    func stream(_ name: String) -> MetricStream? { self.first { $0.name == name } }
}

extension MetricStream {
    /// The point whose attributes are exactly `attributes` (in any order).
    func point(_ attributes: [String: String] = [:]) -> MetricPoint? {
        self.points.first { point in
            point.attributes.count == attributes.count && point.attributes.allSatisfy { attributes[$0.key] == $0.value }
        }
    }
}

extension MetricPoint {
    var integer: Int64? { if case .integer(let value) = self.value { value } else { nil } }
    var double: Double? { if case .double(let value) = self.value { value } else { nil } }
    var histogram: HistogramValue? { if case .histogram(let value) = self.value { value } else { nil } }
}

/// Polls `condition` every 10 ms until it holds or `limit` passes (no blocking of the pool).
func eventually(within limit: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let end = ContinuousClock.now.advanced(by: limit)
    while ContinuousClock.now < end {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
