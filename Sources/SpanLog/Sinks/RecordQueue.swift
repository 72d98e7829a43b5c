/// The bounded hand-off between logging callers and a sink's writer thread: callers append the
/// bytes of whole records under a short lock; the writer swaps the whole pending buffer out and
/// does the I/O with no lock held.
final class RecordQueue: @unchecked Sendable {
    enum EnqueueResult {
        case queued
        case dropped
        case closed
    }

    /// What the writer took in one call of ``next(into:deadline:)``.
    struct Batch {
        /// Records in the bytes taken.
        var records: Int
        /// Records dropped (by the `drop` policy) since the previous batch.
        var dropped: UInt64
        /// The newest flush request the writer must satisfy after writing this batch (0: none).
        var flushTicket: UInt64
        /// No more records will come: write this batch, then stop.
        var isFinal: Bool
        /// An outstanding flush asked for the bytes to reach stable storage (`fsync`).
        var isDurableFlush: Bool = false
    }

    private let lock = ConditionLock()
    private var pending: [UInt8] = []
    private var pendingRecords = 0
    private let capacityBytes: Int
    let policy: QueuePolicy
    private var droppedSinceLastBatch: UInt64 = 0
    private var droppedTotal: UInt64 = 0
    private var closed = false
    private var writerWaiting = false
    /// The writer is gathering more records after the first (see `lingerNanoseconds`): callers
    /// wake it only once `wakeBytes` are pending.
    private var writerLingering = false
    /// How long the writer keeps gathering records after the first one arrives before it takes
    /// them (0: at once). Without it a writer that keeps up is woken for every record, and each
    /// wake-up is a context switch that costs the logging callers far more than the record.
    private let lingerNanoseconds: UInt64
    /// Whether a writer that waits with a deadline is left to sleep until it, rather than woken
    /// for each record (see `init`).
    private let waitsForDeadline: Bool
    /// The waiting writer gave a deadline: it wakes by itself by then.
    private var writerHasDeadline = false
    /// Pending bytes that end the writer's lingering early.
    private let wakeBytes: Int
    private var callersWaiting = 0
    private var flushRequested: UInt64 = 0
    private var flushCompleted: UInt64 = 0
    private var durableRequested: UInt64 = 0
    /// How long a caller waits for room with the `block` policy (nil: as long as it takes).
    private let blockLimitNanoseconds: UInt64?
    /// A caller waited the whole block limit and the writer has taken nothing since: callers
    /// finding the queue full drop at once (counted) until the writer takes a batch again.
    private var stalled = false
    /// Batches the writer has taken: a caller whose wait saw none is waiting on a stuck writer,
    /// one whose wait saw some only on a busy queue.
    private var batchesTaken: UInt64 = 0

    /// Creates a queue.
    ///
    /// With `waitsForDeadline`, a writer waiting in ``next(into:deadline:)`` with a deadline is
    /// woken before it only by volume (a quarter of the queue, at most 256 KiB), a flush, a full
    /// queue or closing, not by each record: the file sink's writer passes the end of its flush
    /// window, by which it writes whatever it has anyway. A writer waiting without a deadline is
    /// woken by the first record, as always. At a few hundred records a second this saves two
    /// context switches per record on a busy server (docs/performance.md).
    ///
    /// With `blockLimitNanoseconds`, a caller of ``enqueue(_:)`` waits for room at most that long
    /// even with the `block` policy: a writer thread stuck in a system call (a hung `write(2)` on
    /// a hard NFS mount) cannot hold callers forever. The record is then dropped and counted, and
    /// so is every record that finds the queue full until the writer takes a batch again.
    init(capacityBytes: Int, policy: QueuePolicy, lingerNanoseconds: UInt64 = 0, waitsForDeadline: Bool = false,
         blockLimitNanoseconds: UInt64? = nil) {
        self.blockLimitNanoseconds = blockLimitNanoseconds
        self.capacityBytes = max(capacityBytes, 4096)
        self.policy = policy
        self.lingerNanoseconds = lingerNanoseconds
        self.waitsForDeadline = waitsForDeadline
        self.wakeBytes = min(self.capacityBytes / 4, 256 << 10)
        self.pending.reserveCapacity(min(self.capacityBytes, 1 << 20))
    }

    /// Appends one record. With the `block` policy it waits while the queue is full; a record
    /// larger than the whole queue is accepted once the queue is empty.
    func enqueue(_ bytes: UnsafeRawBufferPointer) -> EnqueueResult {
        self.lock.lock()
        var waitEnds: UInt64? = nil
        var batchesAtWaitStart = self.batchesTaken
        while !self.closed && !self.pending.isEmpty && self.pending.count + bytes.count > self.capacityBytes {
            if self.policy == .drop || self.stalled {
                self.droppedSinceLastBatch += 1
                self.droppedTotal += 1
                self.lock.unlock()
                return .dropped
            }
            self.callersWaiting += 1
            if self.writerWaiting || self.writerLingering { self.lock.broadcast() }
            if let limit = self.blockLimitNanoseconds {
                let now = monotonicNanoseconds()
                let ends = waitEnds ?? now &+ limit
                waitEnds = ends
                if now >= ends {
                    self.callersWaiting -= 1
                    if self.batchesTaken != batchesAtWaitStart {
                        // The writer is moving, others took the room: wait another limit.
                        batchesAtWaitStart = self.batchesTaken
                        waitEnds = nil
                        continue
                    }
                    self.stalled = true  // the writer took nothing for the whole limit
                    continue
                }
                self.lock.wait(untilMonotonic: ends)
            } else {
                self.lock.wait()
            }
            self.callersWaiting -= 1
        }
        if self.closed {
            self.lock.unlock()
            return .closed
        }
        self.pending.append(contentsOf: bytes)
        self.pendingRecords += 1
        let wakesWriter =
            if self.writerLingering || (self.writerWaiting && self.writerHasDeadline && self.waitsForDeadline) {
                self.pending.count >= self.wakeBytes
            } else {
                self.writerWaiting
            }
        if wakesWriter {
            self.writerWaiting = false
            self.writerLingering = false
            self.lock.broadcast()
        }
        self.lock.unlock()
        return .queued
    }

    /// Writer side: waits until there are records, a flush request, the queue closes, or the
    /// monotonic `deadline` passes; then swaps the pending bytes into `spare` (which must be empty).
    func next(into spare: inout [UInt8], deadline: UInt64?) -> Batch {
        self.lock.lock()
        defer { self.lock.unlock() }
        while self.pending.isEmpty && self.droppedSinceLastBatch == 0 && !self.closed
            && self.flushRequested == self.flushCompleted
        {
            if let deadline {
                if monotonicNanoseconds() >= deadline { break }
                self.writerWaiting = true
                self.writerHasDeadline = true
                self.lock.wait(untilMonotonic: deadline)
            } else {
                self.writerWaiting = true
                self.writerHasDeadline = false
                self.lock.wait()
            }
        }
        self.writerWaiting = false
        self.writerHasDeadline = false
        if self.lingerNanoseconds > 0 && !self.pending.isEmpty {
            // Gather what arrives in the next moments into the same batch; a flush, closing,
            // a full queue or `wakeBytes` of records end this early.
            let until = min(monotonicNanoseconds() &+ self.lingerNanoseconds, deadline ?? .max)
            while self.pending.count < self.wakeBytes && !self.closed && self.callersWaiting == 0
                && self.flushRequested == self.flushCompleted && monotonicNanoseconds() < until
            {
                self.writerLingering = true
                self.lock.wait(untilMonotonic: until)
            }
            self.writerLingering = false
        }
        swap(&self.pending, &spare)
        self.stalled = false
        self.batchesTaken &+= 1
        let batch = Batch(
            records: self.pendingRecords,
            dropped: self.droppedSinceLastBatch,
            flushTicket: self.flushRequested,
            isFinal: self.closed,
            isDurableFlush: self.durableRequested > self.flushCompleted
        )
        self.pendingRecords = 0
        self.droppedSinceLastBatch = 0
        if self.callersWaiting > 0 { self.lock.broadcast() }
        return batch
    }

    /// Writer side: everything up to `ticket` is durable.
    func completeFlush(_ ticket: UInt64) {
        self.lock.withLock {
            if ticket > self.flushCompleted {
                self.flushCompleted = ticket
                self.lock.broadcast()
            }
        }
    }

    /// Caller side: returns once the writer has written (and flushed) everything queued before.
    /// With `durable`, the writer is also asked to make it reach stable storage.
    /// With a `deadline` (monotonic nanoseconds) it waits at most until then, and returns false
    /// if the writer had not completed the flush by then; otherwise true.
    @discardableResult
    func flush(durable: Bool = false, deadline: UInt64? = nil) -> Bool {
        self.lock.lock()
        defer { self.lock.unlock() }
        if self.closed { return true }
        self.flushRequested += 1
        let ticket = self.flushRequested
        if durable { self.durableRequested = ticket }
        self.lock.broadcast()
        while self.flushCompleted < ticket && !self.closed {
            if let deadline {
                if monotonicNanoseconds() >= deadline { return false }
                self.lock.wait(untilMonotonic: deadline)
            } else {
                self.lock.wait()
            }
        }
        return true
    }

    /// Stops accepting records; the writer gets a final batch with what is pending.
    func close() {
        self.lock.withLock {
            self.closed = true
            self.lock.broadcast()
        }
    }

    var isClosed: Bool { self.lock.withLock { self.closed } }

    /// Records waiting for the writer.
    var pendingRecordCount: Int { self.lock.withLock { self.pendingRecords } }

    /// Records dropped by the `drop` policy (or the block limit) since the queue was made.
    var droppedCount: UInt64 { self.lock.withLock { self.droppedTotal } }
}
