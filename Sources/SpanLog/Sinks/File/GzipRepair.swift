#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
}
