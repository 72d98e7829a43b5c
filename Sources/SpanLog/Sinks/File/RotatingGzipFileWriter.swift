#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
internal import SpanLogFormat
import Synchronization

/// Records a sink lost outside its queue's `drop` policy: during an outage that outlasted the
/// blocking limit, or written after `shutdown()`.
final class LostRecordCounter: Sendable {
    private let count = Atomic<UInt64>(0)
    func add(_ value: UInt64) { self.count.add(value, ordering: .relaxed) }
    var value: UInt64 { self.count.load(ordering: .relaxed) }
}

/// The writer thread's side of a ``RotatingGzipFileSink``: takes batches of whole records off the
/// queue, compresses them into gzip members, writes each member with one `write(2)`, rotates,
/// applies retention, and rides out I/O failures. Everything here runs on that one thread.
final class RotatingGzipFileWriter: @unchecked Sendable {
    private struct ActiveFile {
        var fd: Int32
        var name: LogFileName
        var fileName: String
        var path: String
        /// Bytes on disk (all whole members).
        var size: Int
        /// Wall-clock nanoseconds at which time rotation closes this file.
        var rotateAt: Int64?
        /// When the file was started (its name's stamp).
        var openedAt: RecordTime
        /// False while the file is an unnamed `O_TMPFILE`: it gets its name once its first
        /// member is in it, so no file is ever visible empty.
        var linked: Bool
        /// The trace index of the members written so far (when indexes are on).
        var index: TraceIndexBuilder?
        /// The last 8 bytes written (the last member's gzip trailer), for the index.
        var tail: [UInt8] = []
    }

    /// A finished member waiting in `pending`: its size and what the index needs of it.
    private struct PendingMember {
        var compressedLength: UInt64
        var digest: RecordDigest
    }

    private struct Outage {
        var since: RecordTime
        var sinceMonotonic: UInt64
        var error: String
        var nextAttempt: UInt64
        var backoff: UInt64
        var droppedRecords: UInt64 = 0
        var droppedByQueue: UInt64 = 0
    }

    private let configuration: RotatingGzipFileSink.Configuration
    private let clock: @Sendable () -> RecordTime
    private let queue: RecordQueue
    private let lost: LostRecordCounter
    private let directory: LogDirectory
    private let gzip: GzipMemberWriter
    private let flushNanoseconds: UInt64
    private let outageLimitNanoseconds: UInt64
    /// A member is ended once it holds this many uncompressed bytes: it bounds what one write
    /// carries (and a crash can tear), the memory held, and how far a file can pass rotateBytes.
    private let memberInputLimit: Int

    private var file: ActiveFile?
    /// Whole gzip members not yet on disk.
    private var pending: [UInt8] = []
    private var pendingRecords: UInt64 = 0
    private var memberRecords: UInt64 = 0
    /// The records of the current member, for the trace index (nil when indexes are off).
    private var memberDigest: RecordDigest?
    /// The members in `pending`, in order (only when indexes are on).
    private var pendingMembers: [PendingMember] = []
    /// When the first record of the current member arrived (monotonic).
    private var memberStarted: UInt64?
    private var outage: Outage?
    private var completedTicket: UInt64 = 0
    private var owedTicket: UInt64 = 0
    private var owedDurable = false
    /// Whether new files start unnamed (`O_TMPFILE`, linked into place after their first
    /// write). Off where the file system or `/proc` cannot do it.
    private var useUnnamedFiles: Bool

    static let initialBackoff: UInt64 = 25_000_000
    static let maximumBackoff: UInt64 = 1_000_000_000

    init(configuration: RotatingGzipFileSink.Configuration, clock: @escaping @Sendable () -> RecordTime,
         queue: RecordQueue, lost: LostRecordCounter) {
        self.configuration = configuration
        self.clock = clock
        self.queue = queue
        self.lost = lost
        self.directory = LogDirectory(path: configuration.directory, base: configuration.fileName)
        self.gzip = GzipMemberWriter(level: configuration.gzipLevel)
        self.flushNanoseconds = UInt64(configuration.flushIntervalMilliseconds) * 1_000_000
        self.outageLimitNanoseconds = UInt64(configuration.outageBlockLimitMilliseconds) * 1_000_000
        self.memberInputLimit = min(1 << 20, configuration.rotateBytes)
        self.memberDigest = configuration.writesTraceIndex ? RecordDigest() : nil
        #if os(Linux)
        self.useUnnamedFiles = configuration.usesUnnamedFiles && access("/proc/self/fd", F_OK) == 0
        #else
        self.useUnnamedFiles = false
        #endif
    }

    // MARK: - The loop

    func run() {
        self.repairPreviousFile()
        var batchBytes: [UInt8] = []
        var finished = false
        while !finished {
            if self.outage != nil {
                finished = self.rideOutOutage(&batchBytes, finalSeen: false)
                continue
            }
            let deadline = self.memberStarted.map { $0 &+ self.flushNanoseconds }
            let batch = self.queue.next(into: &batchBytes, deadline: deadline)
            if batch.dropped > 0 {
                self.appendNotice(DropNotice.jsonLine(dropped: batch.dropped, sink: "file", now: self.clock()))
            }
            if !batchBytes.isEmpty {
                self.appendRecords(batchBytes)
                batchBytes.removeAll(keepingCapacity: batchBytes.capacity <= 8 << 20)
            }
            let flushWanted = batch.flushTicket > self.completedTicket || batch.isFinal
            let windowDue = self.memberStarted.map { monotonicNanoseconds() >= $0 &+ self.flushNanoseconds } ?? false
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
                while self.outage != nil || self.gzip.hasMemberData {
                    if self.outage != nil, self.rideOutOutage(&batchBytes, finalSeen: true) { break }
                    self.endMember(durable: durable)
                }
                finished = true
            }
        }
        self.closeFile()
    }

    private func complete(_ ticket: UInt64) {
        guard ticket > self.completedTicket else { return }
        self.completedTicket = ticket
        self.queue.completeFlush(ticket)
    }

    // MARK: - Compressing

    /// Compresses a batch of whole records, ending members (and files) only between records.
    private func appendRecords(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!
            var start = 0
            while start < buffer.count {
                self.rotateIfDue()
                let room = max(self.memberInputLimit - self.gzip.memberInputBytes, 1)
                var end = start + min(room, 64 * 1024)
                if end >= buffer.count {
                    end = buffer.count
                } else if let newline = Self.lastNewline(in: buffer, from: start, before: end) {
                    end = newline + 1
                } else if let newline = memchr(base + end, Int32(UInt8(ascii: "\n")), buffer.count - end) {
                    end = base.distance(to: UnsafeRawPointer(newline)) + 1  // one record longer than the chunk
                } else {
                    end = buffer.count
                }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
                if self.memberStarted == nil { self.memberStarted = monotonicNanoseconds() }
                self.compress(chunk)
                start = end
                let projected = (self.file?.size ?? 0) + self.pending.count + self.gzip.output.count
                if self.gzip.memberInputBytes >= self.memberInputLimit || projected >= self.configuration.rotateBytes {
                    self.endMember(durable: false)
                }
            }
        }
    }

    /// Compresses whole records into the current member (and notes them for the index).
    private func compress(_ chunk: UnsafeRawBufferPointer) {
        self.gzip.append(chunk)
        if self.memberDigest != nil {
            let before = self.memberDigest!.records
            self.memberDigest!.add(chunk)
            self.memberRecords += self.memberDigest!.records - before
        } else {
            self.memberRecords += Self.countLines(chunk)
        }
    }

    /// Ends the current member into `pending`.
    private func finishMember() {
        let before = self.pending.count
        self.gzip.finishMember(into: &self.pending)
        self.pendingRecords += self.memberRecords
        self.memberRecords = 0
        if let digest = self.memberDigest {
            self.pendingMembers.append(PendingMember(compressedLength: UInt64(self.pending.count - before), digest: digest))
            self.memberDigest = RecordDigest()
        }
    }

    /// The offset of the last `\n` in `buffer[start..<end]`.
    private static func lastNewline(in buffer: UnsafeRawBufferPointer, from start: Int, before end: Int) -> Int? {
        var index = end - 1
        while index >= start {
            if buffer[index] == UInt8(ascii: "\n") { return index }
            index -= 1
        }
        return nil
    }

    private static func countLines(_ chunk: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = chunk.baseAddress else { return 0 }
        var count: UInt64 = 0
        var offset = 0
        while offset < chunk.count, let hit = memchr(base + offset, Int32(UInt8(ascii: "\n")), chunk.count - offset) {
            count += 1
            offset = base.distance(to: UnsafeRawPointer(hit)) + 1
        }
        return count
    }

    /// A warning record of the sink's own, compressed into the current member.
    private func appendNotice(_ line: [UInt8]) {
        if self.memberStarted == nil { self.memberStarted = monotonicNanoseconds() }
        line.withUnsafeBytes { self.compress($0) }
    }

    /// Ends the current member and writes what is pending (unless an outage holds it back);
    /// closes the file afterwards if it reached the size limit.
    private func endMember(durable: Bool) {
        if self.gzip.hasMemberData {
            self.finishMember()
        }
        self.memberStarted = nil
        guard self.outage == nil else { return }
        if !self.pending.isEmpty {
            _ = self.writePending(durable: durable)
        } else if durable, let file = self.file {
            _ = fsync(file.fd)
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
        if self.gzip.hasMemberData { self.endMember(durable: false) }
        if self.file?.fd == file.fd { self.closeFile() }
    }

    // MARK: - Files

    /// Writes the pending members in one `write(2)`. On failure the file is cut back to its last
    /// whole member and closed, and an outage starts (or goes on).
    private func writePending(durable: Bool) -> Bool {
        guard !self.pending.isEmpty else { return true }
        for _ in 0..<3 {
            guard let file = self.openFileIfNeeded() else { return false }
            var info = stat()
            if file.linked && fstat(file.fd, &info) == 0 && info.st_nlink == 0 {
                // Deleted under us (the file or its whole directory): what went to it since is
                // gone; start a new file, recreating the directory.
                let message = "SpanLog's log file \(file.path) was deleted while open; records written to it after the deletion are lost. Started a new file."
                reportToStandardError(message)
                self.closeFile()
                let memberWasEmpty = !self.gzip.hasMemberData
                self.appendNotice(FileSinkNotice.jsonLine(message, metadata: ["spanlog.file": .string(file.fileName)], now: self.clock()))
                if memberWasEmpty {
                    // Goes out with this write, after the members already pending.
                    self.finishMember()
                    self.memberStarted = nil
                }
                continue
            }
            let code = self.pending.withUnsafeBytes { FileDescriptorIO.writeAll(file.fd, $0) }
            if code == 0 {
                if !file.linked && !self.linkIntoPlace() {
                    // Try again with a named file; the pending bytes are still here.
                    self.closeFile()
                    continue
                }
                self.file?.size += self.pending.count
                self.indexPendingMembers()
                self.pending.removeAll(keepingCapacity: self.pending.capacity <= 4 << 20)
                self.pendingRecords = 0
                if durable, fsync(file.fd) != 0 {
                    reportToStandardError("fsync of \(file.path) failed: \(SystemError.describe(errno))")
                }
                return true
            }
            self.abandon(file)
            self.fail("writing \(file.path) failed: \(SystemError.describe(code))")
            return false
        }
        self.fail("could not start a new log file in \(self.directory.path) (it kept disappearing)")
        return false
    }

    /// After a failed write: cut the file back to its whole members (or remove it if it has
    /// none) and close it, so the next attempt starts a new file.
    private func abandon(_ file: ActiveFile) {
        if !file.linked {
            self.closeFile()  // an unnamed file simply vanishes
            return
        }
        if ftruncate(file.fd, off_t(file.size)) != 0 {
            reportToStandardError("could not cut \(file.path) back to its last whole gzip member (\(SystemError.describe(errno))); a reader skips the torn tail and the next start repairs it")
        } else if file.size == 0 {
            unlink(file.path)
        }
        self.closeFile()
    }

    /// The members just written join the active file's index.
    private func indexPendingMembers() {
        guard self.memberDigest != nil, var file = self.file else { return }
        if file.index == nil { file.index = TraceIndexBuilder(blockBytes: UInt64(self.configuration.traceIndexBlockBytes)) }
        for member in self.pendingMembers {
            file.index!.appendMember(member.digest, compressedLength: member.compressedLength)
        }
        file.tail = Array(self.pending.suffix(8))
        self.pendingMembers.removeAll(keepingCapacity: true)
        self.file = file
    }

    private func closeFile() {
        guard let file = self.file else { return }
        self.file = nil
        // The index, once every member the file holds is in it and the file is still linked.
        var info = stat()
        if var index = file.index, !index.isEmpty, file.linked, index.coveredBytes == file.size, file.tail.count == 8,
           fstat(file.fd, &info) == 0, info.st_nlink > 0, UInt64(info.st_size) == index.coveredBytes,
           let failure = TraceIndexFile.store(index.serialized(coveredTail: file.tail), forLogFile: file.path) {
            reportToStandardError("\(failure); spanlog reads \(file.fileName) in full instead")
        }
        close(file.fd)
    }

    /// The active file, creating the directory and a new file when there is none.
    private func openFileIfNeeded() -> ActiveFile? {
        if let file = self.file { return file }
        let created = self.directory.create()
        if created != 0 {
            self.fail("cannot create directory \(self.directory.path): \(SystemError.describe(created))")
            return nil
        }
        let existing: [LogFileName]
        switch self.directory.files() {
        case .success(let files): existing = files
        case .failure(let error):
            self.fail("cannot read directory \(self.directory.path): \(error.description)")
            return nil
        }
        let now = self.clock()
        let rotateAt = Self.rotationBoundary(after: now, interval: self.configuration.rotateInterval)
        var name = LogFileName.next(after: existing.last, now: now)
        if self.useUnnamedFiles {
            let fd = open(self.directory.path, Self.unnamedFileFlags | O_WRONLY | O_APPEND | O_CLOEXEC, 0o640)
            if fd >= 0 {
                let fileName = name.fileName(base: self.directory.base)
                let file = ActiveFile(fd: fd, name: name, fileName: fileName, path: self.directory.path(of: fileName),
                                      size: 0, rotateAt: rotateAt, openedAt: now, linked: false)
                self.file = file
                return file
            }
            let code = errno
            if code == EOPNOTSUPP || code == EISDIR || code == EINVAL {
                self.useUnnamedFiles = false  // not on this file system: named files from now on
            }
        }
        for _ in 0..<100 {
            let fileName = name.fileName(base: self.directory.base)
            let path = self.directory.path(of: fileName)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC, 0o640)
            if fd >= 0 {
                let file = ActiveFile(fd: fd, name: name, fileName: fileName, path: path, size: 0,
                                      rotateAt: rotateAt, openedAt: now, linked: true)
                self.file = file
                if self.configuration.fsyncOnFlush { self.syncDirectory() }
                self.applyRetention(existing + [name], active: name, now: now)
                return file
            }
            let code = errno
            guard code == EEXIST || code == ELOOP else {
                self.fail("cannot create \(path): \(SystemError.describe(code))")
                return nil
            }
            if self.directory.isSymlink(fileName) {
                reportToStandardError("\(path) is a symlink; SpanLog does not write through symlinks, so it skips that name")
            }
            name = LogFileName.next(after: name, now: now)
        }
        self.fail("cannot find a free file name in \(self.directory.path)")
        return nil
    }

    /// `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`; Swift does not import the macro).
    private static let unnamedFileFlags: Int32 = 0o20000000 | O_DIRECTORY

    /// Gives the unnamed active file its name, after its first member was written: `linkat`
    /// through `/proc/self/fd`, which fails rather than replace an existing name. Returns false
    /// when this cannot work here (then named files are used from now on) or the directory is
    /// gone (the next attempt recreates it).
    private func linkIntoPlace() -> Bool {
        guard var file = self.file, !file.linked else { return true }
        let existing: [LogFileName]
        switch self.directory.files() {
        case .success(let files): existing = files
        case .failure: return false
        }
        var name = LogFileName.next(after: existing.last, now: file.openedAt)
        let source = "/proc/self/fd/\(file.fd)"
        for _ in 0..<100 {
            let fileName = name.fileName(base: self.directory.base)
            let path = self.directory.path(of: fileName)
            if linkat(AT_FDCWD, source, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 {
                file.name = name
                file.fileName = fileName
                file.path = path
                file.linked = true
                self.file = file
                if self.configuration.fsyncOnFlush { self.syncDirectory() }
                self.applyRetention(existing + [name], active: name, now: file.openedAt)
                return true
            }
            let code = errno
            if code == EEXIST {
                if self.directory.isSymlink(fileName) {
                    reportToStandardError("\(path) is a symlink; SpanLog does not write through symlinks, so it skips that name")
                }
                name = LogFileName.next(after: name, now: file.openedAt)
                continue
            }
            if code != ENOENT && code != ENOTDIR {
                self.useUnnamedFiles = false
            }
            return false
        }
        return false
    }

    private func syncDirectory() {
        let fd = open(self.directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    /// The next UTC hour or day boundary after `now`, in nanoseconds since the epoch.
    static func rotationBoundary(after now: RecordTime, interval: RotatingGzipFileSink.Configuration.RotateInterval) -> Int64? {
        let seconds = now.secondsAndFraction.seconds
        let period: Int64
        switch interval {
        case .none: return nil
        case .hourly: period = 3600
        case .daily: period = 86_400
        }
        // Floor division, so that times before 1970 round towards the past too.
        let boundary = (seconds >= 0 ? seconds / period : (seconds - period + 1) / period) + 1
        return RecordTime.seconds(boundary * period)
    }

    /// Deletes the oldest files beyond `retainFiles`, then those whose last record is older than
    /// `retainDays` (a file ends when the next one starts). Never the active file.
    private func applyRetention(_ files: [LogFileName], active: LogFileName, now: RecordTime) {
        var remaining = files.sorted()
        while remaining.count > self.configuration.retainFiles,
              let index = remaining.firstIndex(where: { $0 != active }) {
            self.delete(remaining.remove(at: index))
        }
        guard let days = self.configuration.retainDays else { return }
        let nowSeconds = UInt64(clamping: now.secondsAndFraction.seconds)
        let (maximumAge, tooOld) = UInt64(clamping: days).multipliedReportingOverflow(by: 86_400)
        if tooOld { return }
        var index = 0
        while index + 1 < remaining.count {
            let candidate = remaining[index]
            let endedAt = remaining[index + 1].seconds
            if candidate != active, nowSeconds > endedAt, nowSeconds - endedAt > maximumAge {
                self.delete(remaining.remove(at: index))
            } else {
                index += 1
            }
        }
    }

    private func delete(_ name: LogFileName) {
        let path = self.directory.path(of: name.fileName(base: self.directory.base))
        TraceIndexFile.remove(forLogFile: path)
        if unlink(path) != 0 && errno != ENOENT {
            reportToStandardError("could not delete the old log file \(path) (retention): \(SystemError.describe(errno))")
        }
    }

    /// At start: cut a torn tail off the newest existing file of this name.
    private func repairPreviousFile() {
        guard self.directory.create() == 0, case .success(let files) = self.directory.files(),
              let newest = files.last
        else { return }
        let fileName = newest.fileName(base: self.directory.base)
        let message: String
        let dropped: Int
        let path = self.directory.path(of: fileName)
        let outcome = GzipRepair.repair(path: path, name: fileName)
        if case .intact = outcome { return }
        TraceIndexFile.remove(forLogFile: path)  // it described bytes that are gone now
        switch outcome {
        case .intact:
            return
        case .truncated(let kept, let cut):
            dropped = cut
            message = "SpanLog repaired \(fileName): dropped \(cut) bytes of a torn gzip member after \(kept) bytes of whole members (the previous process stopped during a write)"
        case .removed(let cut):
            dropped = cut
            message = "SpanLog removed \(fileName): it held no whole gzip member, only \(cut) bytes of a torn one (the previous process stopped during a write)"
        case .failed(let reason):
            reportToStandardError("could not check the previous log file: \(reason)")
            return
        }
        reportToStandardError(message)
        self.appendNotice(FileSinkNotice.jsonLine(
            message,
            metadata: ["spanlog.repaired_file": .string(fileName), "spanlog.dropped_bytes": .stringConvertible(dropped)],
            now: self.clock()))
    }

    // MARK: - Outages

    private func fail(_ error: String) {
        let now = monotonicNanoseconds()
        if var outage = self.outage {
            outage.backoff = min(outage.backoff * 2, Self.maximumBackoff)
            outage.nextAttempt = now &+ outage.backoff
            self.outage = outage
            return
        }
        self.outage = Outage(since: self.clock(), sinceMonotonic: now, error: error,
                             nextAttempt: now &+ Self.initialBackoff, backoff: Self.initialBackoff)
        reportToStandardError("\(error); retrying, holding records back for up to \(self.configuration.outageBlockLimitMilliseconds) ms, then dropping and counting them until writing works again")
    }

    /// Retries the pending members with backoff until they are written (returns false: carry
    /// on), keeping callers waiting for at most the outage limit; past it, takes records off the
    /// queue and drops them, counted. Returns true when the sink is shutting down and gave up.
    private func rideOutOutage(_ batchBytes: inout [UInt8], finalSeen: Bool) -> Bool {
        var finalSeen = finalSeen
        var triedSinceFinal = false
        while let outage = self.outage {
            let now = monotonicNanoseconds()
            if now >= outage.nextAttempt || (finalSeen && !triedSinceFinal) {
                triedSinceFinal = finalSeen
                if self.writePending(durable: self.owedDurable) {
                    self.recovered(from: outage)
                    return false
                }
                continue
            }
            if now >= outage.sinceMonotonic &+ self.outageLimitNanoseconds {
                if finalSeen {
                    let lostNow = self.pendingRecords + self.memberRecords
                    self.lost.add(lostNow)
                    reportToStandardError("shutting down while unable to write (\(outage.error)); \(lostNow + outage.droppedRecords) records were lost")
                    self.pending.removeAll()
                    self.pendingMembers.removeAll()
                    self.pendingRecords = 0
                    self.outage = nil
                    return true
                }
                let batch = self.queue.next(into: &batchBytes, deadline: outage.nextAttempt)
                batchBytes.removeAll(keepingCapacity: true)
                self.outage?.droppedRecords += UInt64(batch.records)
                self.outage?.droppedByQueue += batch.dropped
                self.lost.add(UInt64(batch.records))
                self.complete(max(batch.flushTicket, self.owedTicket))
                if batch.isFinal { finalSeen = true }
            } else {
                Self.sleep(until: min(outage.nextAttempt, outage.sinceMonotonic &+ self.outageLimitNanoseconds))
            }
        }
        return false
    }

    private func recovered(from outage: Outage) {
        self.outage = nil
        let elapsed = monotonicNanoseconds() &- outage.sinceMonotonic
        let seconds = Self.decimalSeconds(elapsed)
        let message = "SpanLog could not write log files to \(self.directory.path) for \(seconds) s (since \(outage.since)): \(outage.error); \(outage.droppedRecords) records were dropped"
        reportToStandardError("writing log files to \(self.directory.path) again after \(seconds) s (\(outage.error)); \(outage.droppedRecords) records dropped")
        self.appendNotice(FileSinkNotice.jsonLine(
            message,
            metadata: [
                "spanlog.outage_seconds": .string(seconds),
                "spanlog.outage_since": .string(outage.since.description),
                "spanlog.error": .string(outage.error),
                "spanlog.dropped_records": .stringConvertible(outage.droppedRecords),
            ],
            now: self.clock()))
        if outage.droppedByQueue > 0 {
            self.appendNotice(DropNotice.jsonLine(dropped: outage.droppedByQueue, sink: "file", now: self.clock()))
        }
        if self.owedTicket > 0 {
            self.complete(self.owedTicket)
            self.owedTicket = 0
            self.owedDurable = false
        }
    }

    private static func decimalSeconds(_ nanoseconds: UInt64) -> String {
        let millis = nanoseconds / 1_000_000
        let fraction = millis % 1000
        return "\(millis / 1000)." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + "\(fraction)"
    }

    private static func sleep(until deadline: UInt64) {
        let now = monotonicNanoseconds()
        guard deadline > now else { return }
        FileDescriptorIO.sleep(nanoseconds: deadline - now)
    }
}
