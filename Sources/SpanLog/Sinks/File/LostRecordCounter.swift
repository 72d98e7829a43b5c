import Synchronization

/// Records a sink lost outside its queue's `drop` policy: during an outage that outlasted the
/// blocking limit, or written after `shutdown()`.
final class LostRecordCounter: Sendable {
    private let count = Atomic<UInt64>(0)
    func add(_ value: UInt64) { self.count.add(value, ordering: .relaxed) }
    var value: UInt64 { self.count.load(ordering: .relaxed) }
}
