#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// The writer thread's side of a ``RotatingGzipFileSink``: takes batches of whole records off the
/// queue, compresses them into gzip members, writes each member with one `write(2)`, rotates,
/// applies retention, and rides out I/O failures. Everything here runs on that one thread.
///
/// This file holds the loop; the other concerns have files of their own:
/// - ``PendingMembers``: the gzip members being compressed and waiting for their write;
/// - `RotatingGzipFileWriter+Files.swift`: writing them, and the files' life (open, link,
///   close with the trace index), over ``ActiveLogFile`` and ``LogDirectory``;
/// - ``RetentionPolicy``: which old files go when a new one starts;
/// - ``GzipRepair``: cutting a torn tail off the previous process's last file;
/// - `RotatingGzipFileWriter+NameLock.swift`: holding the file name (``LogNameLock``);
/// - `RotatingGzipFileWriter+Durability.swift`: what a durable flush syncs;
/// - `RotatingGzipFileWriter+Outage.swift`: retrying with backoff, over ``WriteOutage``.
final class RotatingGzipFileWriter: @unchecked Sendable {
    let configuration: RotatingGzipFileSink.Configuration
    let clock: @Sendable () -> RecordTime
    let queue: RecordQueue
    let lost: LostRecordCounter
    let status: FileWriterStatus
    let faults: FileSinkFaults
    /// The directory and the name this writer's files have: the configured one, or an
    /// alternative when another sink holds it (see ``LogNameLock``).
    var directory: LogDirectory
    let retention: RetentionPolicy
    let flushNanoseconds: UInt64
    let outageLimitNanoseconds: UInt64
    /// A member is ended once it holds this many uncompressed bytes: it bounds what one write
    /// carries (and a crash can tear), the memory held, and how far a file can pass rotateBytes.
    let memberInputLimit: Int

    var file: ActiveLogFile?
    var members: PendingMembers
    var outage: WriteOutage?
    var completedTicket: UInt64 = 0
    /// The newest flush ticket an outage held back, and whether it asked for `fsync`.
    var owedTicket: UInt64 = 0
    var owedDurable = false
    /// Whether new files start unnamed (`O_TMPFILE`, linked into place after their first
    /// write). Off where the file system or `/proc` cannot do it.
    var useUnnamedFiles: Bool
    /// The lock on the file name, once taken.
    var nameLock: LogNameLock?
    /// The name whose newest file was checked (``GzipRepair``) once this writer held it.
    var checkedNewestFileOf: String?
    /// Closed files whose last writes are not yet synced, with their descriptors still open, for
    /// the next durable flush (at most ``maximumUnsyncedFiles``).
    var unsyncedFiles: [UnsyncedFile] = []
    /// A name was created (or removed) in the directory since it was last synced.
    var directoryUnsynced = false
    /// A sync that failed outside a durable flush, for the next durable flush to report.
    var earlierSyncFailure: String?

    init(configuration: RotatingGzipFileSink.Configuration, clock: @escaping @Sendable () -> RecordTime,
         queue: RecordQueue, lost: LostRecordCounter, status: FileWriterStatus, faults: FileSinkFaults) {
        self.configuration = configuration
        self.clock = clock
        self.queue = queue
        self.lost = lost
        self.status = status
        self.faults = faults
        self.directory = LogDirectory(path: configuration.directory, base: configuration.fileName)
        self.retention = RetentionPolicy(retainFiles: configuration.retainFiles, retainDays: configuration.retainDays)
        self.flushNanoseconds = UInt64(configuration.flushIntervalMilliseconds) * 1_000_000
        self.outageLimitNanoseconds = UInt64(configuration.outageBlockLimitMilliseconds) * 1_000_000
        self.memberInputLimit = min(1 << 20, configuration.rotateBytes)
        self.members = PendingMembers(gzipLevel: configuration.gzipLevel, indexesRecords: configuration.writesTraceIndex)
        #if os(Linux)
        self.useUnnamedFiles = configuration.usesUnnamedFiles && access("/proc/self/fd", F_OK) == 0
        #else
        self.useUnnamedFiles = false
        #endif
    }

    // MARK: - The loop

    func run() {
        // Take the name (and check its newest file) now if the directory is there; otherwise
        // the first write tries again, as an outage if it fails.
        if self.directory.create() == 0 { _ = self.holdName(reportingFailure: false) }
        var batchBytes: [UInt8] = []
        var finished = false
        while !finished {
            if self.outage != nil {
                finished = self.rideOutOutage(&batchBytes, finalSeen: false)
                continue
            }
            let deadline = self.members.memberStarted.map { $0 &+ self.flushNanoseconds }
            let batch = self.queue.next(into: &batchBytes, deadline: deadline)
            if batch.dropped > 0 {
                self.appendNotice(DropNotice.jsonLine(dropped: batch.dropped, sink: "file", now: self.clock()))
            }
            if !batchBytes.isEmpty {
                self.appendRecords(batchBytes)
                batchBytes.removeAll(keepingCapacity: batchBytes.capacity <= 8 << 20)
            }
            let flushWanted = batch.flushTicket > self.completedTicket || batch.isFinal
            let windowDue = self.members.memberStarted.map { monotonicNanoseconds() >= $0 &+ self.flushNanoseconds } ?? false
            let durable = batch.isDurableFlush || self.configuration.fsyncOnFlush
            if flushWanted || windowDue {
                self.endMember(durable: durable)
            }
            if flushWanted {
                if self.outage == nil {
                    self.complete(batch.flushTicket)
                } else {
                    self.owedTicket = max(self.owedTicket, batch.flushTicket)
                    self.owedDurable = self.owedDurable || durable
                }
            }
            if batch.isFinal {
                // Write what is left (and, after an outage, its report) or give up once the
                // outage outlasts its limit.
                while self.outage != nil || self.members.hasMemberData {
                    if self.outage != nil, self.rideOutOutage(&batchBytes, finalSeen: true) { break }
                    self.endMember(durable: durable)
                }
                finished = true
            }
        }
        self.closeFile()
        self.closeUnsyncedFiles()
        self.nameLock?.release()
        self.nameLock = nil
    }

    func complete(_ ticket: UInt64) {
        guard ticket > self.completedTicket else { return }
        self.completedTicket = ticket
        self.queue.completeFlush(ticket)
    }

    /// Compresses a batch of whole records, ending members (and files) only between records.
    private func appendRecords(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!
            var start = 0
            while start < buffer.count {
                self.rotateIfDue()
                let room = max(self.memberInputLimit - self.members.memberInputBytes, 1)
                var end = start + min(room, 64 * 1024)
                if end >= buffer.count {
                    end = buffer.count
                } else if let newline = PendingMembers.lastNewline(in: buffer, from: start, before: end) {
                    end = newline + 1
                } else if let newline = memchr(base + end, Int32(UInt8(ascii: "\n")), buffer.count - end) {
                    end = base.distance(to: UnsafeRawPointer(newline)) + 1  // one record longer than the chunk
                } else {
                    end = buffer.count
                }
                self.members.compress(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
                start = end
                let projected = (self.file?.size ?? 0) + self.members.compressedBytes
                if self.members.memberInputBytes >= self.memberInputLimit || projected >= self.configuration.rotateBytes {
                    self.endMember(durable: false)
                }
            }
        }
    }

    /// A warning record of the sink's own, compressed into the current member.
    func appendNotice(_ line: [UInt8]) {
        line.withUnsafeBytes { self.members.compress($0) }
    }

    /// Ends the current member and writes what is pending (unless an outage holds it back);
    /// closes the file afterwards if it reached the size limit.
    func endMember(durable: Bool) {
        self.members.endMember()
        guard self.outage == nil else { return }
        if !self.members.bytes.isEmpty {
            _ = self.writePending(durable: durable)
        } else if durable {
            self.makeDurable()
        }
        if let file = self.file, file.size >= self.configuration.rotateBytes {
            self.closeFile()
        }
    }

    /// Time rotation: at a UTC boundary the current member goes to the old file, which is closed.
    private func rotateIfDue() {
        guard let file = self.file, let rotateAt = file.rotateAt,
              self.clock().nanosecondsSinceEpoch >= rotateAt
        else { return }
        if self.members.hasMemberData { self.endMember(durable: false) }
        if self.file?.fd == file.fd { self.closeFile() }
    }
}
