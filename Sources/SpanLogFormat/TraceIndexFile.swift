#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Reading and writing the `.idx` sidecar of a log file.
///
/// ```swift
/// switch TraceIndexFile.load(forLogFile: path) {
/// case .usable(let index): …          // index.coveredBytes of the file are indexed
/// case .missing: …                    // scan the file
/// case .ignored(let problem): …       // warn, then scan the file
/// }
/// ```
package enum TraceIndexFile {
    package enum Loaded: Sendable {
        case missing
        case usable(TraceIndex)
        case ignored(TraceIndexProblem)
    }

    /// The index of `logPath`, checked against the log file: an index is usable when it is a
    /// regular file no larger than an index of that log file can be, every field is consistent
    /// (``TraceIndex/init(parsing:)``), and the log file still holds exactly the bytes it covered
    /// (a file that grew since keeps its indexed prefix; the rest is read in full). Neither file
    /// is opened in a way that can block (a FIFO named `.idx` is refused at once).
    package static func load(forLogFile logPath: String) -> Loaded {
        let indexPath = TraceIndexLayout.sidecarPath(forLogFile: logPath)
        let indexFile = open(indexPath, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard indexFile >= 0 else {
            let code = errno
            if code == ENOENT { return .missing }
            return .ignored(.unreadable(String(cString: strerror(code))))
        }
        defer { close(indexFile) }
        var indexStatus = stat()
        guard fstat(indexFile, &indexStatus) == 0 else { return .ignored(.unreadable(String(cString: strerror(errno)))) }
        guard (indexStatus.st_mode & S_IFMT) == S_IFREG else { return .ignored(.unreadable("not a regular file")) }

        let logFile = open(logPath, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard logFile >= 0 else { return .ignored(.unreadable("cannot open the log file: \(String(cString: strerror(errno)))")) }
        defer { close(logFile) }
        var logStatus = stat()
        guard fstat(logFile, &logStatus) == 0 else { return .ignored(.unreadable(String(cString: strerror(errno)))) }
        guard (logStatus.st_mode & S_IFMT) == S_IFREG else { return .ignored(.unreadable("the log file is not a regular file")) }
        let size = UInt64(clamping: logStatus.st_size)
        let indexSize = UInt64(clamping: indexStatus.st_size)
        let limit = TraceIndexLayout.maximumIndexBytes(forLogFileBytes: size)
        guard indexSize <= limit, indexSize <= UInt64(Int.max) else {
            return .ignored(.corrupt("\(indexSize) bytes, more than an index of a \(size)-byte log file can be (at most \(limit))"))
        }

        var bytes = [UInt8](repeating: 0, count: Int(indexSize))
        let count = bytes.withUnsafeMutableBytes { FileDescriptorIO.readAll(indexFile, into: $0) }
        guard count >= 0 else { return .ignored(.unreadable(String(cString: strerror(errno)))) }
        if count < bytes.count { bytes.removeLast(bytes.count - count) }
        let index: TraceIndex
        do throws(TraceIndexProblem) {
            index = try TraceIndex(parsing: bytes)
        } catch {
            return .ignored(error)
        }
        guard size >= index.coveredBytes else {
            return .ignored(.stale("the log file is \(size) bytes, shorter than the \(index.coveredBytes) bytes indexed"))
        }
        guard index.coveredBytes >= 8 else { return .ignored(.corrupt("covers fewer bytes than one gzip member")) }
        var tail = [UInt8](repeating: 0, count: 8)
        let read = tail.withUnsafeMutableBytes { FileDescriptorIO.read(logFile, into: $0.baseAddress!, count: 8, at: Int(index.coveredBytes - 8)) }
        guard read == 8, tail == index.coveredTail else {
            return .ignored(.stale("the log file changed after it was indexed"))
        }
        return .usable(index)
    }

    /// Writes `bytes` as the index of `logPath`, atomically: a temporary file
    /// (`<index>.tmp-<pid>`, created with `O_EXCL | O_NOFOLLOW`, so nothing planted at that name
    /// is written through) renamed into place. A file already at the temporary name was left by
    /// a dead process that had this pid: it is removed (the name itself, never what it points
    /// to) and creation tried once more. Temporary files of dead processes beside the index are
    /// removed too (``removeStaleTemporaryFiles(inDirectoryOf:)``). Returns a description of
    /// the failure, or nil.
    package static func store(_ bytes: [UInt8], forLogFile logPath: String) -> String? {
        let indexPath = TraceIndexLayout.sidecarPath(forLogFile: logPath)
        Self.removeStaleTemporaryFiles(inDirectoryOf: indexPath)
        let temporary = Self.temporaryPath(forIndex: indexPath)
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        var descriptor = open(temporary, flags, 0o640)
        if descriptor < 0, errno == EEXIST, unlink(temporary) == 0 {
            descriptor = open(temporary, flags, 0o640)
        }
        guard descriptor >= 0 else { return "cannot create \(temporary): \(String(cString: strerror(errno)))" }
        var failure = FileDescriptorIO.writeAll(descriptor, bytes)
        close(descriptor)
        if failure == 0, rename(temporary, indexPath) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            return "cannot write \(indexPath): \(String(cString: strerror(failure)))"
        }
        return nil
    }

    /// Removes the index of `logPath`, if any.
    package static func remove(forLogFile logPath: String) {
        unlink(TraceIndexLayout.sidecarPath(forLogFile: logPath))
    }
}
