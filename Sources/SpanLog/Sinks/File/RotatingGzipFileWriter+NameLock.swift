import Logging
internal import SpanLogFormat

// Holding the file name: before it touches any file of its name (repair, retention, a new file),
// the writer locks the name (``LogNameLock``), taking an alternative name when another sink holds
// it, and checks the newest file of the name once (before it writes any file of it) (``GzipRepair``).
extension RotatingGzipFileWriter {
    /// Takes the name lock if this writer does not hold it (or its lock file was deleted); the
    /// directory must exist. Returns false when no name could be locked, starting or prolonging
    /// an outage with `reportingFailure`.
    func holdName(reportingFailure: Bool) -> Bool {
        if let lock = self.nameLock {
            if !lock.wasDeleted { return true }
            lock.release()
            self.nameLock = nil
        }
        switch LogNameLock.acquire(directory: self.directory.path, preferred: self.configuration.fileName) {
        case .locked(let lock):
            self.nameLock = lock
            if lock.name != self.directory.base {
                self.directory = LogDirectory(path: self.directory.path, base: lock.name)
                if lock.name != self.configuration.fileName {
                    let held = LogNameLock.lockPath(directory: self.directory.path, name: self.configuration.fileName)
                    let message = "SpanLog writes its log files in \(self.directory.path) as \(lock.name)-…: another sink (in this process or another) writes \(self.configuration.fileName)-… there and holds \(held)"
                    reportToStandardError(message)
                    self.appendNotice(FileSinkNotice.jsonLine(
                        message, metadata: ["spanlog.file_name": .string(lock.name), "spanlog.held_name": .string(self.configuration.fileName)],
                        now: self.clock()))
                }
            }
        case .allTaken:
            if reportingFailure {
                self.fail("cannot lock a file name in \(self.directory.path): \(self.configuration.fileName) and its \(LogNameLock.alternativeNames) alternatives are all held by other sinks")
            }
            return false
        case .failed(let path, let code):
            if reportingFailure { self.fail("cannot lock \(path): \(SystemError.describe(code))") }
            return false
        }
        if self.checkedNewestFileOf != self.directory.base {
            self.checkedNewestFileOf = self.directory.base
            if let repair = GzipRepair.repairNewestFile(in: self.directory) {
                self.appendNotice(FileSinkNotice.jsonLine(repair.message, metadata: repair.metadata, now: self.clock()))
            }
        }
        return true
    }
}
