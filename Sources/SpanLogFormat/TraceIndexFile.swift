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

    /// The index of `logPath`, checked against the log file: an index is usable when the file
    /// still holds exactly the bytes it covered (a file that grew since keeps its indexed
    /// prefix; the rest is read in full).
    package static func load(forLogFile logPath: String) -> Loaded {
        let indexPath = TraceIndexLayout.sidecarPath(forLogFile: logPath)
        let bytes: [UInt8]
        switch self.readAll(indexPath) {
        case .success(let read): bytes = read
        case .failure(let failure):
            if failure.code == ENOENT { return .missing }
            return .ignored(.unreadable(String(cString: strerror(failure.code))))
        }
        let index: TraceIndex
        do throws(TraceIndexProblem) {
            index = try TraceIndex(parsing: bytes)
        } catch {
            return .ignored(error)
        }
        let descriptor = open(logPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .ignored(.unreadable("cannot open the log file: \(String(cString: strerror(errno)))")) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .ignored(.unreadable(String(cString: strerror(errno)))) }
        let size = UInt64(status.st_size)
        guard size >= index.coveredBytes else {
            return .ignored(.stale("the log file is \(size) bytes, shorter than the \(index.coveredBytes) bytes indexed"))
        }
        guard index.coveredBytes >= 8 else { return .ignored(.corrupt("covers fewer bytes than one gzip member")) }
        var tail = [UInt8](repeating: 0, count: 8)
        let read = tail.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 8, off_t(index.coveredBytes - 8)) }
        guard read == 8, tail == index.coveredTail else {
            return .ignored(.stale("the log file changed after it was indexed"))
        }
        return .usable(index)
    }

    /// Writes `bytes` as the index of `logPath`, atomically (a temporary file renamed into
    /// place). Returns a description of the failure, or nil.
    package static func store(_ bytes: [UInt8], forLogFile logPath: String) -> String? {
        let indexPath = TraceIndexLayout.sidecarPath(forLogFile: logPath)
        let temporary = indexPath + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o640)
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

    private struct ReadFailure: Error {
        var code: Int32
    }

    private static func readAll(_ path: String) -> Result<[UInt8], ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadFailure(code: errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(ReadFailure(code: errno)) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return .failure(ReadFailure(code: EISDIR)) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        let count = bytes.withUnsafeMutableBytes { FileDescriptorIO.readAll(descriptor, into: $0) }
        if count < 0 { return .failure(ReadFailure(code: errno)) }
        return .success(Array(bytes[0..<count]))
    }
}
