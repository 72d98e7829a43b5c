#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
internal import SpanLogFormat

/// Cuts a torn tail off a log file.
///
/// A sink writes each member in one `write(2)`, but SIGKILL can cut a large write short, leaving
/// a member without its end. ``GzipMemberReader/scanMembers(fd:)`` finds where the whole members
/// end; everything after them is the torn tail.
enum GzipRepair {
    enum Outcome: Equatable {
        /// The file ends with a whole member (or is a symlink / unreadable and was left alone).
        case intact
        /// The torn tail was cut off: `droppedBytes` bytes after `keptBytes`.
        case truncated(keptBytes: Int, droppedBytes: Int)
        /// Nothing whole was left, so the (then empty) file was removed.
        case removed(droppedBytes: Int)
        /// The file could not be opened or repaired; `reason` says why.
        case failed(reason: String)
    }

    /// Repairs the file at `path` (called `name` in messages): truncates it to its last whole
    /// member, and removes it if nothing whole remains. Refuses to follow a symlink.
    static func repair(path: String, name: String) -> Outcome {
        let fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ELOOP { return .failed(reason: "\(name) is a symlink; SpanLog does not write through symlinks") }
            return .failed(reason: "cannot open \(name): \(SystemError.describe(code))")
        }
        defer { close(fd) }
        guard let scan = GzipMemberReader.scanMembers(fd: fd) else {
            return .failed(reason: "cannot read \(name): \(SystemError.describe(errno))")
        }
        if scan.validBytes == scan.fileBytes { return .intact }
        let dropped = scan.fileBytes - scan.validBytes
        if scan.validBytes == 0 {
            if unlink(path) != 0 {
                return .failed(reason: "cannot remove the torn \(name): \(SystemError.describe(errno))")
            }
            return .removed(droppedBytes: dropped)
        }
        if ftruncate(fd, off_t(scan.validBytes)) != 0 {
            return .failed(reason: "cannot truncate \(name): \(SystemError.describe(errno))")
        }
        return .truncated(keptBytes: scan.validBytes, droppedBytes: dropped)
    }

    /// At a sink's start: repairs the newest existing file of its name in `directory`, reports a
    /// repair on standard error and returns it for the warning record at the start of the new
    /// file (nil when there was nothing to repair, or the repair failed).
    static func repairNewestFile(in directory: LogDirectory) -> (message: String, metadata: Logger.Metadata)? {
        guard directory.create() == 0, case .success(let files) = directory.files(), let newest = files.last
        else { return nil }
        let fileName = newest.fileName(base: directory.base)
        let path = directory.path(of: fileName)
        let outcome = Self.repair(path: path, name: fileName)
        if case .intact = outcome { return nil }
        TraceIndexFile.remove(forLogFile: path)  // it described bytes that are gone now
        let message: String
        let dropped: Int
        switch outcome {
        case .intact:
            return nil
        case .truncated(let kept, let cut):
            dropped = cut
            message = "SpanLog repaired \(fileName): dropped \(cut) bytes of a torn gzip member after \(kept) bytes of whole members (the previous process stopped during a write)"
        case .removed(let cut):
            dropped = cut
            message = "SpanLog removed \(fileName): it held no whole gzip member, only \(cut) bytes of a torn one (the previous process stopped during a write)"
        case .failed(let reason):
            reportToStandardError("could not check the previous log file: \(reason)")
            return nil
        }
        reportToStandardError(message)
        return (message, ["spanlog.repaired_file": .string(fileName), "spanlog.dropped_bytes": .stringConvertible(dropped)])
    }
}
