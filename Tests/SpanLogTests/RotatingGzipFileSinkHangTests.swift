#if DEBUG
import Foundation
@testable import SpanLog
import Synchronization
import Testing

private typealias Support = FileSinkTestSupport

/// A `write(2)` that never returns (a hard NFS mount whose server is gone) is an outage for the
/// callers: logging calls wait at most the outage limit, flush and shutdown return by their
/// deadlines, and every record that did not reach a file is counted.
@Suite("RotatingGzipFileSink with a hung write", .serialized)
struct RotatingGzipFileSinkHangTests {
    /// Holds every write made while it is closed until it opens again (then the write fails).
    final class Gate: Sendable {
        private let closed = Atomic<Bool>(false)
        private let opened = DispatchSemaphore(value: 0)
        let stuckWrites = Atomic<Int>(0)

        func close() { self.closed.store(true, ordering: .sequentiallyConsistent) }

        func open() {
            self.closed.store(false, ordering: .sequentiallyConsistent)
            for _ in 0..<max(self.stuckWrites.load(ordering: .sequentiallyConsistent), 1) { self.opened.signal() }
        }

        func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
            guard self.closed.load(ordering: .sequentiallyConsistent) else { return FileSinkFaults().write(fd, bytes) }
            self.stuckWrites.add(1, ordering: .sequentiallyConsistent)
            _ = self.opened.wait(timeout: .now() + 60)
            return EIO
        }
    }

    @Test("callers, flush and shutdown are bounded while the writer hangs in write(2); the loss is counted", .timeLimit(.minutes(1)))
    func hungWriteIsAnOutage() throws {
        let directory = try Support.makeTemporaryDirectory("hung")
        defer { Support.removeTree(directory) }
        let gate = Gate()
        var faults = FileSinkFaults()
        faults.write = { fd, bytes in gate.write(fd, bytes) }
        let sink = RotatingGzipFileSink(
            configuration: .init(
                directory: directory, fileName: "app", rotateInterval: .none, flushIntervalMilliseconds: 20,
                queueBytes: 4096, outageBlockLimitMilliseconds: 200),
            clock: { RecordTime.now() }, faults: faults)
        defer { gate.open() }
        for seq in 0..<10 { Support.write(sink, #"{"run":"before","seq":\#(seq)}"#) }
        #expect(sink.flush(fsync: false) == .completed)

        gate.close()
        let start = Date()
        var written = 0
        var slowest: TimeInterval = 0
        while Date().timeIntervalSince(start) < 1.5 {
            let callStart = Date()
            Support.write(sink, #"{"run":"during","seq":\#(written),"pad":"\#(written * 7919)"}"#)
            slowest = max(slowest, Date().timeIntervalSince(callStart))
            written += 1
        }
        #expect(gate.stuckWrites.load(ordering: .sequentiallyConsistent) >= 1, "the writer is stuck in write(2)")
        #expect(slowest < 2, "a logging call waited \(slowest) s; the outage limit is 0.2 s, the longest backoff 1 s")

        var flushStart = Date()
        #expect(sink.flush(fsync: false, timeout: .milliseconds(300)) == .timedOut)
        #expect(Date().timeIntervalSince(flushStart) < 1.5)
        flushStart = Date()
        sink.flush()  // bounded by the outage limit and 2 s
        #expect(Date().timeIntervalSince(flushStart) < 4)

        let shutdownStart = Date()
        #expect(sink.shutdown(timeout: .milliseconds(500)) == false, "the writer is still stuck")
        #expect(Date().timeIntervalSince(shutdownStart) < 1.5, "shutdown kept its deadline")
        #expect(Int(sink.droppedRecords) == written, "every record written during the hang is counted as lost")

        let records = try Support.logFiles(directory).flatMap { try Support.records($0) }
        #expect(records.filter { $0["run"] as? String == "before" }.count == 10)
        #expect(records.filter { $0["run"] as? String == "during" }.isEmpty)

        // Once the write returns (failing), the writer ends by itself without counting twice.
        gate.open()
        usleep(500_000)
        #expect(Int(sink.droppedRecords) == written)
    }

    @Test("shutdown(timeout:) gives up on a failing disk by its deadline, before the outage limit", .timeLimit(.minutes(1)))
    func shutdownDeadlineCutsAnOutageShort() throws {
        let directory = try Support.makeTemporaryDirectory("deadline")
        defer { Support.removeTree(directory) }
        var faults = FileSinkFaults()
        faults.write = { _, _ in EIO }
        let sink = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "app", flushIntervalMilliseconds: 20, outageBlockLimitMilliseconds: 60_000),
            clock: { RecordTime.now() }, faults: faults)
        for seq in 0..<5 { Support.write(sink, #"{"seq":\#(seq)}"#) }
        let start = Date()
        #expect(sink.shutdown(timeout: .milliseconds(300)))
        #expect(Date().timeIntervalSince(start) < 1.5, "the 60 s outage limit did not hold shutdown")
        #expect(sink.droppedRecords == 5)
    }
}
#endif
