#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// Writes records to standard output, standard error or any file descriptor, buffered, from its
/// own writer thread.
///
/// Callers copy the record into a bounded queue and return; the writer thread writes whatever
/// has accumulated in one `write(2)`, so every record stays whole even with many threads logging,
/// and a burst costs one system call rather than one per record. When the queue is full the
/// caller waits (``QueuePolicy/block``, the default) or the record is dropped and counted
/// (``QueuePolicy/drop``). After ``shutdown()`` records are written directly, so console output
/// is never lost.
///
/// ```swift
/// let output = LogOutput(encoder: JSONRecordEncoder(), sinks: [ConsoleSink.standardOutput])
/// ```
public final class ConsoleSink: LogSink, @unchecked Sendable {
    /// The process-wide sink for standard output.
    public static let standardOutput = ConsoleSink(fileDescriptor: STDOUT_FILENO)
    /// The process-wide sink for standard error.
    public static let standardError = ConsoleSink(fileDescriptor: STDERR_FILENO)

    private let fileDescriptor: Int32
    private let queue: RecordQueue
    private let directLock = ConditionLock()
    private var writer: WriterThread?  // guarded by stateLock
    private let stateLock = ConditionLock()

    /// Creates a sink for `fileDescriptor`, which stays owned by the caller (it is not closed).
    ///
    /// - Parameters:
    ///   - queueBytes: how many bytes of records may wait for the writer thread.
    ///   - queuePolicy: what a caller does when they would not fit.
    public init(fileDescriptor: Int32, queueBytes: Int = 4 << 20, queuePolicy: QueuePolicy = .block) {
        self.fileDescriptor = fileDescriptor
        self.queue = RecordQueue(capacityBytes: queueBytes, policy: queuePolicy)
        let queue = self.queue
        let fd = fileDescriptor
        self.writer = WriterThread(name: "spanlog-console") {
            ConsoleSink.runWriter(queue: queue, fileDescriptor: fd)
        }
    }

    /// Records dropped by the `drop` policy so far.
    public var droppedRecords: UInt64 { self.queue.droppedCount }

    public func write(_ record: UnsafeRawBufferPointer) {
        switch self.queue.enqueue(record) {
        case .queued, .dropped:
            return
        case .closed:
            self.directLock.withLock {
                _ = FileDescriptorIO.writeAll(self.fileDescriptor, record)
            }
        }
    }

    public func flush() {
        self.queue.flush()
    }

    public func shutdown() {
        self.queue.close()
        let writer = self.stateLock.withLock { () -> WriterThread? in
            defer { self.writer = nil }
            return self.writer
        }
        writer?.join()
    }

    private static func runWriter(queue: RecordQueue, fileDescriptor: Int32) {
        var spare: [UInt8] = []
        while true {
            let batch = queue.next(into: &spare, deadline: nil)
            if !spare.isEmpty {
                _ = FileDescriptorIO.writeAll(fileDescriptor, spare)
                spare.removeAll(keepingCapacity: true)
            }
            if batch.dropped > 0 {
                _ = FileDescriptorIO.writeAll(fileDescriptor, DropNotice.jsonLine(dropped: batch.dropped, sink: "console"))
            }
            queue.completeFlush(batch.flushTicket)
            if batch.isFinal { return }
        }
    }
}
