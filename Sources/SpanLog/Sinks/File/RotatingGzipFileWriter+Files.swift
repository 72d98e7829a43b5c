#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
internal import SpanLogFormat

// The files' life: writing the pending members, starting a file (unnamed, or under its name),
// naming an unnamed one after its first write, closing with its trace index, and retention
// whenever a file takes a name.
extension RotatingGzipFileWriter {
    /// Writes the pending members in one `write(2)`. On failure the file is cut back to its last
    /// whole member and closed, and an outage starts (or goes on).
    func writePending(durable: Bool) -> Bool {
        guard !self.members.bytes.isEmpty else { return true }
        for _ in 0..<3 {
            guard let file = self.openFileIfNeeded() else { return false }
            if file.wasDeleted {
                // Deleted under us (the file or its whole directory): what went to it since is
                // gone; start a new file, recreating the directory.
                let message = "SpanLog's log file \(file.path) was deleted while open; records written to it after the deletion are lost. Started a new file."
                reportToStandardError(message)
                self.closeFile()
                let memberWasEmpty = !self.members.hasMemberData
                self.appendNotice(FileSinkNotice.jsonLine(message, metadata: ["spanlog.file": .string(file.fileName)], now: self.clock()))
                if memberWasEmpty {
                    // Goes out with this write, after the members already pending.
                    self.members.endMember()
                }
                continue
            }
            // What a caller that stops waiting for this thread (it may hang in write(2) on a hard
            // NFS mount) counts as lost.
            self.status.holding(self.members.records + self.members.memberRecords)
            let code = self.members.bytes.withUnsafeBytes { self.faults.write(file.fd, $0) }
            if code == 0 {
                if !file.linked && !self.linkIntoPlace() {
                    // Try again with a named file; the pending bytes are still here.
                    self.closeFile()
                    continue
                }
                self.file?.noteWritten(self.members, indexBlockBytes: self.configuration.traceIndexBlockBytes)
                self.members.removeWritten()
                if durable { self.makeDurable() }
                self.status.holding(self.members.memberRecords)
                return true
            }
            // Cut the file back to its whole members (an unnamed file simply vanishes) and close
            // it, so the next attempt starts a new file.
            if file.linked { file.cutBackToWholeMembers() }
            self.closeFile()
            self.fail("writing \(file.path) failed: \(SystemError.describe(code))")
            return false
        }
        self.fail("could not start a new log file in \(self.directory.path) (it kept disappearing)")
        return false
    }

    /// Closes the active file, storing its trace index; its descriptor stays open until the next
    /// durable flush has synced it, if it holds writes not yet synced.
    func closeFile() {
        guard let file = self.file else { return }
        self.file = nil
        file.storeIndex()
        self.keepUntilSynced(file)
    }

    /// The active file, creating the directory and a new file when there is none.
    private func openFileIfNeeded() -> ActiveLogFile? {
        if let file = self.file { return file }
        let created = self.directory.create()
        if created != 0 {
            self.fail("cannot create directory \(self.directory.path): \(SystemError.describe(created))")
            return nil
        }
        guard self.holdName(reportingFailure: true) else { return nil }
        let existing: [LogFileName]
        switch self.directory.files() {
        case .success(let files): existing = files
        case .failure(let error):
            self.fail("cannot read directory \(self.directory.path): \(error.description)")
            return nil
        }
        let now = self.clock()
        let rotateAt = Self.rotationBoundary(after: now, interval: self.configuration.rotateInterval)
        let first = LogFileName.next(after: existing.last, now: now)
        if self.useUnnamedFiles {
            let fd = open(self.directory.path, Self.unnamedFileFlags | O_WRONLY | O_APPEND | O_CLOEXEC, 0o640)
            if fd >= 0 {
                // Retention runs before the first write, as on the named path (where the name is
                // claimed first): on a full disk that write can only succeed once old files went.
                self.applyRetention(existing + [first], active: first, now: now)
                // Named for messages until it is linked (under this name, or the next free one).
                let fileName = first.fileName(base: self.directory.base)
                let expected = LogDirectory.ClaimedName(name: first, fileName: fileName, path: self.directory.path(of: fileName))
                let file = ActiveLogFile(fd: fd, name: expected, rotateAt: rotateAt, openedAt: now, linked: false)
                self.file = file
                return file
            }
            let code = errno
            if code == EOPNOTSUPP || code == EISDIR || code == EINVAL {
                self.useUnnamedFiles = false  // not on this file system: named files from now on
            }
        }
        var fd: Int32 = -1
        switch self.claimName(startingAt: first, startedAt: now, among: existing, { path in
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC, 0o640)
            if fd >= 0 { return .claimed }
            let code = errno
            return code == EEXIST || code == ELOOP ? .taken : .failed(code)
        }) {
        case .claimed(let name):
            let file = ActiveLogFile(fd: fd, name: name, rotateAt: rotateAt, openedAt: now, linked: true)
            self.file = file
            return file
        case .failed(let path, let code):
            self.fail("cannot create \(path): \(SystemError.describe(code))")
            return nil
        case .noFreeName:
            self.fail("cannot find a free file name in \(self.directory.path)")
            return nil
        }
    }

    /// `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`; Swift does not import the macro).
    private static let unnamedFileFlags: Int32 = 0o20000000 | O_DIRECTORY

    /// Gives the unnamed active file its name, after its first member was written: `linkat`
    /// through `/proc/self/fd`, which fails rather than replace an existing name. Returns false
    /// when this cannot work here (then named files are used from now on) or the directory is
    /// gone (the next attempt recreates it).
    private func linkIntoPlace() -> Bool {
        guard var file = self.file, !file.linked else { return true }
        guard case .success(let existing) = self.directory.files() else { return false }
        let source = "/proc/self/fd/\(file.fd)"
        // Never below the name expected at open: retention may have deleted the files before it
        // since, and a name is not reused.
        let first = max(LogFileName.next(after: existing.last, now: file.openedAt), file.name)
        switch self.claimName(startingAt: first, startedAt: file.openedAt, among: existing, { path in
            if linkat(AT_FDCWD, source, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 { return .claimed }
            let code = errno
            return code == EEXIST ? .taken : .failed(code)
        }) {
        case .claimed(let name):
            file.becameLinked(as: name)
            self.file = file
            return true
        case .failed(_, let code):
            if code != ENOENT && code != ENOTDIR {
                self.useUnnamedFiles = false
            }
            return false
        case .noFreeName:
            return false
        }
    }

    /// Claims the next free name for a new file (see ``LogDirectory/claimName(startingAt:startedAt:_:)``);
    /// once it has one, notes that the directory needs a sync (the next durable flush does it)
    /// and applies retention to `existing` and the new file.
    private func claimName(startingAt first: LogFileName, startedAt: RecordTime, among existing: [LogFileName],
                           _ attempt: (_ path: String) -> LogDirectory.NameAttempt) -> LogDirectory.NameClaim {
        let claim = self.directory.claimName(startingAt: first, startedAt: startedAt, attempt)
        if case .claimed(let claimed) = claim {
            self.directoryUnsynced = true
            self.applyRetention(existing + [claimed.name], active: claimed.name, now: startedAt)
        }
        return claim
    }

    /// Deletes what ``RetentionPolicy`` says must go of `files`, never `active`.
    private func applyRetention(_ files: [LogFileName], active: LogFileName, now: RecordTime) {
        for name in self.retention.expiredFiles(files, active: active, now: now) {
            self.directory.remove(name)
            self.directoryUnsynced = true
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
}
