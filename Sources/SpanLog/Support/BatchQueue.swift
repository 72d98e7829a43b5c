package import Synchronization

/// A bounded queue of items waiting to be exported in batches, and the one task that exports
/// them: the mechanism the batch span processor and the OTLP log exporter share.
///
/// Producers call ``enqueue(_:)`` on whatever thread makes an item: one short lock and an append
/// to an array whose capacity is reused, no await and no wake-up. A full queue drops the item and
/// counts it. The export task looks at the queue every 20 ms (or the schedule delay, if shorter)
/// rather than being woken per item; once a batch is full, the schedule delay has passed, a flush
/// is waiting or shutdown has begun, it takes the whole queue by swapping it for an empty array
/// (so producers never wait behind a copy) and exports what it took in batches of at most
/// ``Configuration/maxBatchSize``, with no lock held. What it took counts against
/// ``Configuration/capacity`` until it is exported, so the bound holds across the swap.
///
/// Every wait has a deadline: an export is cancelled and abandoned after
/// ``Configuration/exportTimeout``, ``forceFlush(timeout:)`` and ``shutdown(timeout:)`` return
/// by theirs. Losses (drops and failed exports) are handed to `report` at most once per
/// ``Configuration/reportInterval``, and once more at shutdown for what is left.
///
/// ```swift
/// let queue = BatchQueue<SpanRecord>(configuration: .init(capacity: 2048, maxBatchSize: 512)) { batch in
///     try await exporter.export(batch)
/// }
/// queue.enqueue(span)
/// await queue.shutdown(timeout: .seconds(30))
/// ```
package final class BatchQueue<Element: Sendable>: Sendable {
    /// The queue's limits.
    package struct Configuration: Sendable, Hashable {
        /// Items that may wait, taken ones not yet exported included; more are dropped.
        package var capacity: Int
        /// Bytes (as the producer estimates them) that may wait, taken ones not yet exported
        /// included; an item that would go over is dropped.
        package var byteCapacity: Int
        /// Items per `export` call.
        package var maxBatchSize: Int
        /// The longest an item waits before its batch is exported.
        package var scheduleDelay: Duration
        /// The longest one `export` call may take; then it is cancelled and counted as failed.
        package var exportTimeout: Duration
        /// The shortest time between two calls of `report`.
        package var reportInterval: Duration

        /// Limits; `capacity` is at least 1 and `maxBatchSize` between 1 and `capacity`.
        package init(
            capacity: Int,
            byteCapacity: Int = .max,
            maxBatchSize: Int,
            scheduleDelay: Duration = .seconds(5),
            exportTimeout: Duration = .seconds(30),
            reportInterval: Duration = .seconds(10)
        ) {
            self.capacity = max(1, capacity)
            self.byteCapacity = max(1, byteCapacity)
            self.maxBatchSize = max(1, min(maxBatchSize, self.capacity))
            self.scheduleDelay = max(scheduleDelay, .zero)
            self.exportTimeout = exportTimeout
            self.reportInterval = reportInterval
        }
    }

    /// Counters since the queue was made. Every item enqueued ends up in exactly one of them,
    /// unless it is still waiting.
    package struct Statistics: Sendable, Hashable {
        /// Items in `export` calls that returned.
        package var exported: UInt64 = 0
        /// Items refused (a full queue, or after shutdown) or abandoned at shutdown's deadline.
        package var dropped: UInt64 = 0
        /// Items in `export` calls that threw or timed out.
        package var failed: UInt64 = 0

        /// Zeroed counters.
        package init() {}
    }

    /// Inlinable parts (`queue`, `taken`, `statistics`, `stopped`) are `package` so that
    /// ``enqueue(_:)`` is specialised in the caller's module too (the OTLP log exporter).
    package struct State {
        package var queue: [Element] = []
        /// Items the export task has taken from the queue and not yet exported; they count
        /// against the capacity until they are.
        package var taken = 0
        /// The estimated bytes of the queued items, and of the taken ones not yet exported.
        package var queuedBytes = 0
        package var takenBytes = 0
        package var statistics = Statistics()
        var flushRequested: UInt64 = 0
        var flushCompleted: UInt64 = 0
        var shuttingDown = false
        /// Nothing is accepted or exported any more: the export task drained the queue at
        /// shutdown, or shutdown's deadline passed (`abandoned`).
        package var stopped = false
        var abandoned = false
        /// The export task has returned.
        var finished = false
        /// What `report` was last told, and when.
        var reported = Statistics()
        var lastReport: ContinuousClock.Instant?
    }

    /// The limits.
    package let configuration: Configuration
    package let state = Mutex(State())
    private let export: @Sendable ([Element]) async throws -> Void
    private let report: @Sendable (_ lost: Statistics, _ total: Statistics) -> Void
    private let worker = Mutex<Task<Void, Never>?>(nil)

    /// Makes the queue and starts its export task.
    ///
    /// - Parameters:
    ///   - export: sends one batch; a throw counts the batch as failed. It should end soon after
    ///     cancellation; one that does not is abandoned at the export timeout.
    ///   - report: called on the export task with the counters that changed since its last call
    ///     (`lost`: only `dropped` and `failed` matter) and the totals, when something was lost
    ///     and at most once per ``Configuration/reportInterval``; at shutdown regardless of it.
    package init(
        configuration: Configuration,
        report: @escaping @Sendable (_ lost: Statistics, _ total: Statistics) -> Void = { _, _ in },
        export: @escaping @Sendable ([Element]) async throws -> Void
    ) {
        self.configuration = configuration
        self.export = export
        self.report = report
        let task = Task.detached { [self] in await self.run() }
        self.worker.withLock { $0 = task }
    }

    /// Queues an item of about `bytes` bytes; never waits. Returns `false` if it was dropped
    /// (the queue is full, by count or by bytes, or shut down), which is counted.
    @inlinable
    @discardableResult
    package func enqueue(_ element: Element, bytes: Int = 0) -> Bool {
        self.state.withLock { state in
            guard !state.stopped, state.queue.count + state.taken < self.configuration.capacity,
                bytes <= self.configuration.byteCapacity - state.queuedBytes - state.takenBytes
            else {
                state.statistics.dropped += 1
                return false
            }
            state.queue.append(element)
            state.queuedBytes += bytes
            return true
        }
    }

    /// The counters so far.
    package var statistics: Statistics { self.state.withLock { $0.statistics } }

    /// Items waiting or being exported.
    package var count: Int { self.state.withLock { $0.queue.count + $0.taken } }

    /// Exports everything enqueued before the call; returns when it was exported (or failed), or
    /// when `timeout` has passed.
    ///
    /// - Returns: whether everything enqueued before the call left the queue in time.
    @discardableResult
    package func forceFlush(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        let ticket = self.state.withLock { state -> UInt64 in
            state.flushRequested += 1
            return state.flushRequested
        }
        // A stopped queue exports nothing more; unless it was abandoned it has drained.
        return await self.wait(until: deadline) { state in
            state.flushCompleted >= ticket ? true : state.stopped ? !state.abandoned : nil
        }
    }

    /// Exports everything enqueued so far, then stops; items enqueued later are dropped. Returns
    /// when the queue has drained or when `timeout` has passed: then the export task and its
    /// running export are cancelled, and what was not exported is counted as dropped.
    ///
    /// - Returns: whether the queue drained in time.
    @discardableResult
    package func shutdown(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        self.state.withLock { $0.shuttingDown = true }
        let drained = await self.wait(until: deadline) { state in state.finished ? true : nil }
        if !drained {
            let abandoning = self.state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.stopped = true
                state.abandoned = true
                state.statistics.dropped += UInt64(state.queue.count + state.taken)
                state.queue.removeAll()
                state.taken = 0
                state.queuedBytes = 0
                state.takenBytes = 0
                return true
            }
            if abandoning { self.worker.withLock { $0 }?.cancel() }
        }
        self.reportLosses(force: true)
        return drained
    }

    /// Looks at the state every 2 ms until `outcome` gives an answer or `deadline` passes
    /// (`false`). It waits in a task of its own, so that a cancelled caller still waits, rather
    /// than spins, until the deadline.
    private func wait(until deadline: ContinuousClock.Instant, for outcome: @escaping @Sendable (borrowing State) -> Bool?) async -> Bool {
        await Task { [self] in
            while true {
                if let answer = self.state.withLock({ outcome($0) }) { return answer }
                let now = ContinuousClock.now
                guard now < deadline else { return false }
                try? await Task.sleep(until: min(now + .milliseconds(2), deadline), clock: .continuous)
            }
        }.value
    }

    /// The export loop; see the type's description.
    private func run() async {
        var lastExport = ContinuousClock.now
        let delay = self.configuration.scheduleDelay
        let idleSleep = max(.milliseconds(1), min(delay, .milliseconds(20)))
        let batchSize = self.configuration.maxBatchSize
        // The array the queue is swapped with; its capacity is reused from round to round.
        var spare: [Element] = []
        rounds: while true {
            let now = ContinuousClock.now
            let round = self.state.withLock { state -> (flushTicket: UInt64, isFinal: Bool)? in
                let due = state.queue.count >= batchSize
                    || (!state.queue.isEmpty && now - lastExport >= delay)
                    || state.flushRequested > state.flushCompleted
                    || state.shuttingDown
                guard due, !state.stopped else { return nil }
                swap(&state.queue, &spare)
                state.taken = spare.count
                state.takenBytes = state.queuedBytes
                state.queuedBytes = 0
                // A flush completes once what it saw has been exported.
                return (state.flushRequested, state.shuttingDown)
            }
            var exportedAny = false
            var offset = 0
            while offset < spare.count {
                let end = min(offset + batchSize, spare.count)
                let batch = Array(spare[offset..<end])
                let ok = await self.exportWithTimeout(batch)
                let abandoned = self.state.withLock { state -> Bool in
                    // Shutdown's deadline passed: it counted these as dropped.
                    guard !state.abandoned else { return true }
                    if ok { state.statistics.exported += UInt64(batch.count) } else { state.statistics.failed += UInt64(batch.count) }
                    state.taken -= batch.count
                    return false
                }
                if abandoned { break rounds }
                offset = end
                exportedAny = true
            }
            spare.removeAll(keepingCapacity: true)
            // Bytes are released per round (sizes are not kept per item).
            self.state.withLock { state in if state.taken == 0 { state.takenBytes = 0 } }
            if exportedAny { lastExport = ContinuousClock.now }
            // Reported before a flush completes, so that a flushed queue has reported its losses.
            self.reportLosses(force: false)
            if let round, round.flushTicket > 0 {
                self.state.withLock { $0.flushCompleted = max($0.flushCompleted, round.flushTicket) }
            }
            // Checking and stopping under one lock: an item queued in between would be accepted
            // and never exported.
            if round?.isFinal == true && self.state.withLock({ state in
                guard state.queue.isEmpty else { return false }
                state.stopped = true
                return true
            }) {
                break
            }
            if self.state.withLock({ $0.stopped }) { break }
            if !exportedAny {
                try? await Task.sleep(for: idleSleep)
            }
        }
        self.state.withLock { $0.finished = true }
    }

    /// Calls `report` with what was lost since its last call, if anything was and the report
    /// interval has passed (or `force`).
    private func reportLosses(force: Bool) {
        let now = ContinuousClock.now
        let losses = self.state.withLock { state -> (lost: Statistics, total: Statistics)? in
            let total = state.statistics
            guard total.dropped != state.reported.dropped || total.failed != state.reported.failed else { return nil }
            if !force, let last = state.lastReport, now - last < self.configuration.reportInterval { return nil }
            var lost = Statistics()
            lost.exported = total.exported - state.reported.exported
            lost.dropped = total.dropped - state.reported.dropped
            lost.failed = total.failed - state.reported.failed
            state.reported = total
            state.lastReport = now
            return (lost, total)
        }
        if let losses { self.report(losses.lost, losses.total) }
    }

    /// Runs `export` in its own task and stops waiting after the export timeout, so that an
    /// exporter that ignores cancellation cannot stall the loop (its task is cancelled and left
    /// to finish on its own). Cancelling the caller (shutdown's deadline) cancels the export.
    private func exportWithTimeout(_ batch: [Element]) async -> Bool {
        let export = self.export
        let timeout = self.configuration.exportTimeout
        let exportTask = Task { () -> Bool in
            do {
                try await export(batch)
                return true
            } catch {
                return false
            }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let pending = OneShot(continuation)
                let timer = Task {
                    guard (try? await Task.sleep(for: timeout)) != nil, let continuation = pending.take() else { return }
                    exportTask.cancel()
                    continuation.resume(returning: false)
                }
                Task {
                    let ok = await exportTask.value
                    timer.cancel()
                    pending.take()?.resume(returning: ok)
                }
            }
        } onCancel: {
            exportTask.cancel()
        }
    }
}

/// A continuation that exactly one of several racers may take and resume (an export and its
/// timeout here; any work and its deadline in `DeadlineRace`).
final class OneShot<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func take() -> CheckedContinuation<Value, Never>? {
        self.continuation.withLock { $0.take() }
    }
}
