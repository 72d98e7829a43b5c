import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import SpanLog

@Suite("RecordQueue: the hand-off to a sink's writer thread")
struct RecordQueueTests {
    /// Runs `next(into:deadline:)` on a writer thread and collects the batches it returns.
    final class Writer: @unchecked Sendable {
        final class Batches: Sendable {
            let taken = Mutex<[(records: Int, bytes: [UInt8], tookNanoseconds: UInt64)]>([])
            func withLock<R>(_ body: (inout [(records: Int, bytes: [UInt8], tookNanoseconds: UInt64)]) -> R) -> R {
                self.taken.withLock { body(&$0) }
            }
        }

        let batches = Batches()
        private var thread: WriterThread?

        /// With `deadlineMilliseconds`, each wait ends that long after it began at the latest.
        init(_ queue: RecordQueue, deadlineMilliseconds: UInt64? = nil) {
            let batches = self.batches
            self.thread = WriterThread(name: "test-writer") {
                var spare: [UInt8] = []
                while true {
                    let started = monotonicNanoseconds()
                    let deadline = deadlineMilliseconds.map { started + $0 * 1_000_000 }
                    let batch = queue.next(into: &spare, deadline: deadline)
                    let took = monotonicNanoseconds() - started
                    if batch.records > 0 { batches.withLock { $0.append((batch.records, spare, took)) } }
                    spare.removeAll(keepingCapacity: true)
                    if batch.flushTicket > 0 { queue.completeFlush(batch.flushTicket) }
                    if batch.isFinal { return }
                }
            }
        }

        func stop(_ queue: RecordQueue) {
            queue.close()
            self.thread?.join()
            self.thread = nil
        }
    }

    static func enqueue(_ queue: RecordQueue, _ text: String) {
        var text = text
        text.withUTF8 { _ = queue.enqueue(UnsafeRawBufferPointer($0)) }
    }

    @Test("with a linger, records that follow the first one closely are taken in the same batch")
    func lingerGathersABatch() throws {
        let queue = RecordQueue(capacityBytes: 1 << 20, policy: .block, lingerNanoseconds: 2_000_000_000)
        let writer = Writer(queue)
        Self.enqueue(queue, "a\n")
        // The writer woke for "a" and lingers (until the linger ends or the queue closes); these
        // arrive well inside it.
        pause(milliseconds: 20)
        Self.enqueue(queue, "b\n")
        Self.enqueue(queue, "c\n")
        writer.stop(queue)
        let batches = writer.batches.withLock { $0 }
        #expect(batches.first?.records == 3)
        #expect(batches.first.map { String(decoding: $0.bytes, as: UTF8.self) } == "a\nb\nc\n")
        // Without the linger the writer would have returned for "a" alone.
        let unlingered = RecordQueue(capacityBytes: 1 << 20, policy: .block)
        let eager = Writer(unlingered)
        Self.enqueue(unlingered, "a\n")
        let deadline = monotonicNanoseconds() + 10_000_000_000
        while eager.batches.withLock({ $0.isEmpty }) && monotonicNanoseconds() < deadline {
            pause(milliseconds: 1)
        }
        Self.enqueue(unlingered, "b\n")
        eager.stop(unlingered)
        #expect(eager.batches.withLock { $0.map(\.records) } == [1, 1])
    }

    @Test("a flush ends the linger at once: it does not wait out the linger time")
    func flushEndsTheLinger() throws {
        let queue = RecordQueue(capacityBytes: 1 << 20, policy: .block, lingerNanoseconds: 30_000_000_000)
        let writer = Writer(queue)
        Self.enqueue(queue, "a\n")
        let started = monotonicNanoseconds()
        queue.flush()
        let waited = monotonicNanoseconds() - started
        #expect(waited < 5_000_000_000)
        #expect(writer.batches.withLock { $0.map(\.records) } == [1])
        writer.stop(queue)
    }

    @Test("a quarter of the queue's capacity ends the linger without a flush")
    func volumeEndsTheLinger() throws {
        let queue = RecordQueue(capacityBytes: 64 << 10, policy: .block, lingerNanoseconds: 30_000_000_000)
        let writer = Writer(queue)
        let line = String(repeating: "x", count: 1023) + "\n"
        for _ in 0..<32 { Self.enqueue(queue, line) }
        let deadline = monotonicNanoseconds() + 10_000_000_000
        while writer.batches.withLock({ $0.isEmpty }) && monotonicNanoseconds() < deadline {
            pause(milliseconds: 5)
        }
        let first = try #require(writer.batches.withLock { $0.first })
        #expect(first.records >= 16)
        #expect(first.tookNanoseconds < 10_000_000_000)
        writer.stop(queue)
    }

    /// Calls `next(into:deadline:)` once on a writer thread with a deadline `deadlineMilliseconds`
    /// away; returns the records it took and how long it waited.
    static func nextOnce(_ queue: RecordQueue, deadlineMilliseconds: UInt64, whileWaiting: () -> Void) -> (records: Int, waitedMilliseconds: UInt64) {
        let result = Mutex<(Int, UInt64)?>(nil)
        let started = monotonicNanoseconds()
        let thread = WriterThread(name: "test-writer") {
            var spare: [UInt8] = []
            let batch = queue.next(into: &spare, deadline: started + deadlineMilliseconds * 1_000_000)
            let waited = (monotonicNanoseconds() - started) / 1_000_000
            result.withLock { $0 = (batch.records, waited) }
        }
        // Let the writer reach its wait before records come.
        pause(milliseconds: 50)
        whileWaiting()
        thread.join()
        let (records, waited) = result.withLock { $0 } ?? (0, 0)
        return (records, waited)
    }

    @Test("a writer that waits with a deadline is not woken by each record when it waits for the deadline")
    func waitsForTheDeadline() throws {
        let lazy = RecordQueue(capacityBytes: 1 << 20, policy: .block, waitsForDeadline: true)
        let slept = Self.nextOnce(lazy, deadlineMilliseconds: 600) { Self.enqueue(lazy, "a\n") }
        #expect(slept.records == 1)
        #expect(slept.waitedMilliseconds >= 550)
        // Without it the same record wakes the writer at once.
        let eager = RecordQueue(capacityBytes: 1 << 20, policy: .block)
        let woken = Self.nextOnce(eager, deadlineMilliseconds: 20_000) { Self.enqueue(eager, "a\n") }
        #expect(woken.records == 1)
        #expect(woken.waitedMilliseconds < 10_000)
    }

    @Test("volume, a flush and closing still wake a writer that waits for its deadline")
    func deadlineWaitEndsEarly() throws {
        let line = String(repeating: "x", count: 1023) + "\n"
        let byVolume = RecordQueue(capacityBytes: 64 << 10, policy: .block, waitsForDeadline: true)
        let volume = Self.nextOnce(byVolume, deadlineMilliseconds: 30_000) {
            for _ in 0..<16 { Self.enqueue(byVolume, line) }
        }
        #expect(volume.records == 16)
        #expect(volume.waitedMilliseconds < 20_000)

        let byClose = RecordQueue(capacityBytes: 1 << 20, policy: .block, waitsForDeadline: true)
        let closed = Self.nextOnce(byClose, deadlineMilliseconds: 30_000) {
            Self.enqueue(byClose, "a\n")
            byClose.close()
        }
        #expect(closed.records == 1)
        #expect(closed.waitedMilliseconds < 20_000)

        // A flush returns only once the writer took the record, long before the deadline.
        let byFlush = RecordQueue(capacityBytes: 1 << 20, policy: .block, waitsForDeadline: true)
        let writer = Writer(byFlush, deadlineMilliseconds: 30_000)
        pause(milliseconds: 20)
        Self.enqueue(byFlush, "a\n")
        let started = monotonicNanoseconds()
        byFlush.flush()
        #expect(monotonicNanoseconds() - started < 20_000_000_000)
        #expect(writer.batches.withLock { $0.map(\.records) } == [1])
        writer.stop(byFlush)
    }
}

func pause(milliseconds: Int) {
    usleep(UInt32(milliseconds) * 1000)
}
