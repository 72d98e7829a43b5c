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

        init(_ queue: RecordQueue) {
            let batches = self.batches
            self.thread = WriterThread(name: "test-writer") {
                var spare: [UInt8] = []
                while true {
                    let started = monotonicNanoseconds()
                    let batch = queue.next(into: &spare, deadline: nil)
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
}

func pause(milliseconds: Int) {
    usleep(UInt32(milliseconds) * 1000)
}
