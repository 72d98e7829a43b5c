#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// What a durable flush (`flush(fsync: true)`, or every flush with `fsyncOnFlush`) makes reach
// stable storage: every record written before it, in the active file and in the files rotation
// closed since the last durable flush, and the directory entries of new files. A failed sync is
// reported to the flush's caller (through ``FileWriterStatus``), not only on standard error.
extension RotatingGzipFileWriter {
    /// A closed file whose last writes are not synced yet.
    struct UnsyncedFile {
        var fd: Int32
        var path: String
    }

    /// Closed files kept open for the next durable flush; a file closed beyond that many is
    /// synced (and closed) at once, so the descriptors held stay bounded.
    static let maximumUnsyncedFiles = 16

    /// After the active file is closed: keeps its descriptor for the next durable flush if it
    /// holds writes not yet synced, closes it otherwise.
    func keepUntilSynced(_ file: ActiveLogFile) {
        guard file.needsSync, file.linked else {
            close(file.fd)
            return
        }
        self.unsyncedFiles.append(UnsyncedFile(fd: file.fd, path: file.path))
        if self.unsyncedFiles.count > Self.maximumUnsyncedFiles {
            let oldest = self.unsyncedFiles.removeFirst()
            if let failure = self.sync(oldest.fd, oldest.path) {
                // No durable flush is waiting now: the next one reports it.
                reportToStandardError(failure)
                self.earlierSyncFailure = self.earlierSyncFailure ?? failure
            }
            close(oldest.fd)
        }
    }

    /// Syncs every write so far to stable storage: the closed files not yet synced, the active
    /// file, then the directory. Returns false, after reporting the failure on standard error and
    /// to the waiting flush (``FileWriterStatus/recordFailure(_:)``), when a sync failed now or
    /// one failed earlier outside a durable flush.
    @discardableResult
    func makeDurable() -> Bool {
        var failures: [String] = []
        if let earlier = self.earlierSyncFailure {
            failures.append(earlier)
            self.earlierSyncFailure = nil
        }
        for file in self.unsyncedFiles {
            if let failure = self.sync(file.fd, file.path) { failures.append(failure) }
            close(file.fd)
        }
        self.unsyncedFiles.removeAll(keepingCapacity: true)
        if let file = self.file, file.needsSync {
            if let failure = self.sync(file.fd, file.path) {
                failures.append(failure)
            } else {
                self.file?.needsSync = false
            }
        }
        if self.directoryUnsynced {
            let fd = open(self.directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd < 0 {
                failures.append("cannot open \(self.directory.path) to sync it: \(SystemError.describe(errno))")
            } else {
                if let failure = self.sync(fd, self.directory.path) {
                    failures.append(failure)
                } else {
                    self.directoryUnsynced = false
                }
                close(fd)
            }
        }
        guard !failures.isEmpty else { return true }
        let description = failures.joined(separator: "; ")
        reportToStandardError("\(description); records written before this durable flush may be lost if the machine stops")
        self.status.recordFailure(description)
        return false
    }

    /// Closes the kept descriptors without syncing them (the writer is stopping; a durable
    /// flush, or `fsyncOnFlush`, already synced what was asked for).
    func closeUnsyncedFiles() {
        for file in self.unsyncedFiles { close(file.fd) }
        self.unsyncedFiles.removeAll()
    }

    /// `fsync(fd)`: nil, or what failed.
    private func sync(_ fd: Int32, _ path: String) -> String? {
        let code = self.faults.fsync(fd)
        return code == 0 ? nil : "fsync of \(path) failed: \(SystemError.describe(code))"
    }
}
