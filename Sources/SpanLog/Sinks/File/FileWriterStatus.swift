import Synchronization

/// What a ``RotatingGzipFileSink`` and its writer thread tell each other besides the records:
/// the deadline a bounded shutdown gave the writer, the records it holds (what a shutdown that
/// stops waiting for it counts as lost), and the failures that make a flush report that its
/// records did not (all) reach the disk. Whether the writer has finished is its
/// `WriterThread`'s bounded join.
///
/// The writer thread can be stuck in a system call that never returns (a `write(2)` or `fsync`
/// on a hard NFS mount): callers only ever wait for it with a deadline.
///
/// ```swift
/// let status = FileWriterStatus()
/// let before = status.failures            // caller, before a flush
/// status.recordFailure("fsync of app-….jsonl.gz failed: EIO")   // writer
/// status.failures != before               // the caller's flush failed
/// ```
final class FileWriterStatus: Sendable {
    private struct Failure {
        var count: UInt64 = 0
        var last = ""
    }

    private let failure = Mutex(Failure())
    private let shutdownDeadlineNanoseconds = Atomic<UInt64>(.max)
    private let recordsHeld = Atomic<UInt64>(0)
    private let abandonedFlag = Atomic<Bool>(false)

    /// Failures so far (a failed fsync, records a flush waited for that were dropped).
    var failures: UInt64 { self.failure.withLock { $0.count } }

    /// The newest failure's description.
    var lastFailure: String { self.failure.withLock { $0.last } }

    /// Writer side: something written before a pending flush did not reach the disk.
    func recordFailure(_ description: String) {
        self.failure.withLock {
            $0.count &+= 1
            $0.last = description
        }
    }

    /// Monotonic nanoseconds by which a shutting-down writer gives up on an outage (`.max`: the
    /// outage limit alone decides).
    var shutdownDeadline: UInt64 {
        get { self.shutdownDeadlineNanoseconds.load(ordering: .acquiring) }
        set { self.shutdownDeadlineNanoseconds.store(newValue, ordering: .releasing) }
    }

    /// Writer side, before a call that may block: the records it holds that are not yet written.
    func holding(_ records: UInt64) {
        self.recordsHeld.store(records, ordering: .relaxed)
    }

    /// The records the writer last said it holds.
    var heldRecords: UInt64 { self.recordsHeld.load(ordering: .relaxed) }

    /// Caller side: a shutdown stopped waiting and counted what the writer holds as lost; the
    /// writer must not count it again, should it ever return.
    func abandon() { self.abandonedFlag.store(true, ordering: .releasing) }

    var isAbandoned: Bool { self.abandonedFlag.load(ordering: .acquiring) }
}
