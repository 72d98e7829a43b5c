import SpanLog
import Synchronization
import Testing

@Suite("BatchQueue: the bounded queue and export task of span and log exporters", .timeLimit(.minutes(2)))
struct BatchQueueTests {
    /// How long a test waits for the export task, and the upper bound on a deadline kept: the
    /// whole test run shares the cooperative threads (two on a two-core machine) with tests that
    /// block them for seconds, so the task may be scheduled late. Broken deadlines hang until the
    /// suite's time limit.
    static let patience: Duration = .seconds(30)

    /// Collects what the queue exports; while `hold` is set each export waits for `release()`,
    /// ignoring cancellation (a transport that does not honour it), and notes it was cancelled.
    final class Exporter: Sendable {
        private struct State {
            var batches: [[Int]] = []
            var started = 0
            var holding: Bool
            var sawCancellation = false
        }

        private let state: Mutex<State>
        private let delay: Duration

        init(hold: Bool = false, delay: Duration = .zero) {
            self.state = Mutex(State(holding: hold))
            self.delay = delay
        }

        func export(_ batch: [Int]) async throws {
            self.state.withLock { $0.started += 1 }
            while self.state.withLock({ $0.holding }) {
                if Task.isCancelled { self.state.withLock { $0.sawCancellation = true } }
                // Sleeps in a task of its own: this task's sleep would return at once once it
                // is cancelled.
                await Task.detached { try? await Task.sleep(for: .milliseconds(5)) }.value
            }
            if self.delay > .zero { try? await Task.sleep(for: self.delay) }
            self.state.withLock { $0.batches.append(batch) }
        }

        func hold() { self.state.withLock { $0.holding = true } }
        func release() { self.state.withLock { $0.holding = false } }
        var batches: [[Int]] { self.state.withLock { $0.batches } }
        var items: [Int] { self.batches.flatMap { $0 } }
        var started: Int { self.state.withLock { $0.started } }
        var sawCancellation: Bool { self.state.withLock { $0.sawCancellation } }
    }

    /// A queue that exports to `exporter`; by default only a full batch, a flush or shutdown
    /// make it export (the schedule delay is an hour).
    func makeQueue(
        _ exporter: Exporter,
        capacity: Int = 10,
        batchSize: Int = 5,
        scheduleDelay: Duration = .seconds(3600),
        exportTimeout: Duration = .seconds(60),
        reportInterval: Duration = .seconds(3600),
        report: @escaping @Sendable (BatchQueue<Int>.Statistics, BatchQueue<Int>.Statistics) -> Void = { _, _ in }
    ) -> BatchQueue<Int> {
        BatchQueue<Int>(
            configuration: .init(capacity: capacity, maxBatchSize: batchSize, scheduleDelay: scheduleDelay, exportTimeout: exportTimeout, reportInterval: reportInterval),
            report: report,
            export: { try await exporter.export($0) }
        )
    }

    /// Polls `condition` every 5 ms for at most `timeout`.
    func eventually(within timeout: Duration = Self.patience, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }

    /// Enqueues `accepted` (a full batch) while `exporter` holds the export of it, then offers
    /// `refused`, then lets the export go and flushes.
    func overfill(_ queue: BatchQueue<Int>, _ exporter: Exporter, accepted: Range<Int>, refused: Range<Int>) async {
        exporter.hold()
        let started = exporter.started
        for item in accepted { queue.enqueue(item) }
        #expect(await eventually { exporter.started == started + 1 })
        for item in refused { queue.enqueue(item) }
        exporter.release()
        #expect(await queue.forceFlush(timeout: Self.patience))
    }

    @Test("bounded: items taken for export count against the capacity until exported; the rest are dropped and counted")
    func boundedWithCountedDrops() async throws {
        let exporter = Exporter(hold: true)
        let queue = makeQueue(exporter, capacity: 10, batchSize: 5)
        #expect((0..<10).allSatisfy { queue.enqueue($0) })
        // A full batch is due: the task takes all ten and is held in the first export.
        #expect(await eventually { exporter.started == 1 })
        #expect(queue.count == 10)
        #expect((10..<15).allSatisfy { !queue.enqueue($0) })
        #expect(queue.statistics.dropped == 5)
        #expect(queue.statistics.exported == 0)

        exporter.release()
        #expect(await queue.forceFlush(timeout: Self.patience))
        #expect(exporter.batches == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]])
        #expect(queue.statistics.exported == 10)
        // Exported items free their room.
        #expect(queue.enqueue(15))
        #expect(await queue.shutdown(timeout: Self.patience))
        #expect(queue.statistics == {
            var expected = BatchQueue<Int>.Statistics()
            expected.exported = 11
            expected.dropped = 5
            return expected
        }())
    }

    @Test("losses are reported at most once per interval, and the rest once more at shutdown")
    func lossesReported() async throws {
        let reports = Mutex<[UInt64]>([])
        let exporter = Exporter()
        let queue = makeQueue(exporter, capacity: 4, batchSize: 4) { lost, _ in
            reports.withLock { $0.append(lost.dropped) }
        }
        await overfill(queue, exporter, accepted: 0..<4, refused: 4..<7)
        // The first loss is reported at once.
        #expect(reports.withLock { $0 } == [3])
        await overfill(queue, exporter, accepted: 7..<11, refused: 11..<20)
        // Within the interval: nothing more until shutdown.
        #expect(reports.withLock { $0 } == [3])
        #expect(await queue.shutdown(timeout: Self.patience))
        #expect(reports.withLock { $0 } == [3, 9])
        #expect(queue.statistics.dropped == 12)
        #expect(queue.statistics.exported == 8)
    }

    @Test("a flush returns once everything enqueued before it was exported, in-flight batches included")
    func flushTicket() async throws {
        let exporter = Exporter(delay: .milliseconds(50))
        let queue = makeQueue(exporter, capacity: 100, batchSize: 2)
        // Below a full batch and long before the schedule delay: only the flush exports them.
        queue.enqueue(0)
        try await Task.sleep(for: .milliseconds(100))
        #expect(exporter.started == 0)
        #expect(await queue.forceFlush(timeout: Self.patience))
        #expect(exporter.items == [0])

        // Six items are three batches of 50 ms: the flush waits for the last one, not only
        // for the task to take them.
        for item in 1...6 { queue.enqueue(item) }
        let clock = ContinuousClock()
        let took = await clock.measure { #expect(await queue.forceFlush(timeout: Self.patience)) }
        #expect(exporter.items == Array(0...6))
        #expect(took >= .milliseconds(100), "the flush returned after \(took)")
        #expect(await queue.shutdown(timeout: Self.patience))
    }

    @Test("a flush keeps its deadline when the export hangs")
    func flushDeadline() async throws {
        let exporter = Exporter(hold: true)
        let queue = makeQueue(exporter)
        queue.enqueue(1)
        let clock = ContinuousClock()
        var flushed = true
        let took = await clock.measure { flushed = await queue.forceFlush(timeout: .milliseconds(200)) }
        #expect(!flushed)
        #expect(took >= .milliseconds(200) && took < Self.patience, "the flush took \(took)")
        exporter.release()
        #expect(await queue.shutdown(timeout: Self.patience))
    }

    @Test("an export that ignores cancellation is abandoned at the export timeout and counted as failed")
    func exportTimeout() async throws {
        let exporter = Exporter(hold: true)
        let queue = makeQueue(exporter, batchSize: 1, exportTimeout: .milliseconds(100))
        queue.enqueue(1)
        queue.enqueue(2)
        // Both batches time out one after the other; the loop is not stalled by the first.
        #expect(await eventually { queue.statistics.failed == 2 })
        #expect(exporter.started == 2)
        #expect(await eventually { exporter.sawCancellation })
        #expect(queue.count == 0)
        exporter.release()
        #expect(await queue.shutdown(timeout: Self.patience))
        #expect(queue.statistics.exported == 0)
    }

    @Test("shutdown exports everything queued, then drops what comes later")
    func shutdownDrains() async throws {
        let exporter = Exporter()
        let queue = makeQueue(exporter, capacity: 100, batchSize: 3)
        for item in 0..<8 { queue.enqueue(item) }
        #expect(await queue.shutdown(timeout: Self.patience))
        #expect(exporter.items == Array(0..<8))
        #expect(!queue.enqueue(8))
        #expect(queue.statistics.exported == 8)
        #expect(queue.statistics.dropped == 1)
        // A flush after shutdown has nothing to wait for.
        #expect(await queue.forceFlush(timeout: Self.patience))
    }

    @Test("shutdown keeps its deadline with a hanging exporter: the export is cancelled, what is left counted as dropped")
    func shutdownDeadline() async throws {
        let exporter = Exporter(hold: true)
        let queue = makeQueue(exporter, capacity: 100, batchSize: 2)
        for item in 0..<5 { queue.enqueue(item) }
        // Flush to get the first batch stuck in the exporter.
        #expect(await queue.forceFlush(timeout: .milliseconds(100)) == false)
        #expect(await eventually { exporter.started == 1 })
        let clock = ContinuousClock()
        var drained = true
        let took = await clock.measure { drained = await queue.shutdown(timeout: .milliseconds(300)) }
        #expect(!drained)
        #expect(took >= .milliseconds(300) && took < Self.patience, "shutdown took \(took)")
        #expect(await eventually { exporter.sawCancellation })
        #expect(queue.statistics.dropped == 5)
        #expect(queue.statistics.exported == 0)
        #expect(queue.statistics.failed == 0)
        #expect(queue.count == 0)
        #expect(!queue.enqueue(5))
        #expect(queue.statistics.dropped == 6)
        // The abandoned export finishing later changes nothing.
        exporter.release()
        #expect(await eventually { exporter.batches.count == 1 })
        try await Task.sleep(for: .milliseconds(50))
        #expect(exporter.started == 1)
        #expect(queue.statistics.exported == 0)
        #expect(queue.statistics.dropped == 6)
    }
}
