#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
internal import SpanLogFormat

/// Checks the newest log file of a name at a sink's start: cuts a torn tail off, and reports
/// damage inside it.
///
/// A sink writes each member in one `write(2)`, but SIGKILL can cut a large write short, leaving
/// a member without its end; a machine crash or a failing disk can leave bytes that are not gzip
/// anywhere. ``GzipMemberReader/scanMembers(fd:)`` walks the members, going on after damage at
/// the next member header (as the reader does): bytes after the last whole member are cut off;
/// damage before it is left in place with the whole members after it (readers skip it), and
/// reported with its offsets. A file whose trace index vouches for it (the index is valid and
/// covers exactly the file's bytes, ending with its last member's trailer: it was closed
/// cleanly) is not read at all.
///
/// ```swift
/// if let repair = GzipRepair.repairNewestFile(in: directory) { print(repair.message) }
/// ```
enum GzipRepair {
    enum Outcome: Equatable {
        /// The file holds whole members only (or is a symlink / unreadable and was left alone).
        case intact
        /// Its trace index proves it was closed whole; it was not read.
        case vouchedForByIndex
        /// Not all whole members: `cutBytes` after the last whole member (which ends at
        /// `keptBytes`) were cut off, `cutReason` saying what they were; `inside` lists the
        /// damaged stretches before it (the first ``GzipMemberReader/maximumDamagedRanges`` of
        /// `insideCount`), left in place.
        case repaired(keptBytes: Int, cutBytes: Int, cutReason: String, inside: [GzipMemberReader.DamagedRange], insideCount: Int)
        /// Nothing whole was in it, so it was removed.
        case removed(droppedBytes: Int, reason: String)
        /// The file could not be opened or repaired; `reason` says why.
        case failed(reason: String)
    }

    /// Repairs the file at `path` (called `name` in messages). Refuses to follow a symlink.
    static func repair(path: String, name: String) -> Outcome {
        let fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ELOOP { return .failed(reason: "\(name) is a symlink; SpanLog does not write through symlinks") }
            return .failed(reason: "cannot open \(name): \(SystemError.describe(code))")
        }
        defer { close(fd) }
        if Self.indexVouches(for: path, fd: fd) { return .vouchedForByIndex }
        guard let scan = GzipMemberReader.scanMembers(fd: fd) else {
            return .failed(reason: "cannot read \(name): \(SystemError.describe(errno))")
        }
        guard scan.damagedRangeCount > 0 else { return .intact }
        if scan.allMembers == 0 {
            if unlink(path) != 0 {
                return .failed(reason: "cannot remove the damaged \(name): \(SystemError.describe(errno))")
            }
            return .removed(droppedBytes: scan.fileBytes, reason: scan.damaged.first?.reason ?? "not gzip")
        }
        var inside = scan.damaged
        var insideCount = scan.damagedRangeCount
        var cutBytes = 0
        var cutReason = ""
        if scan.wholeEnd < scan.fileBytes {
            // The last stretch is the tail after the last whole member.
            cutBytes = scan.fileBytes - scan.wholeEnd
            cutReason = scan.damaged.last { $0.end == scan.fileBytes }?.reason ?? "not gzip"
            inside.removeAll { $0.start >= scan.wholeEnd }
            insideCount -= 1
            if ftruncate(fd, off_t(scan.wholeEnd)) != 0 {
                return .failed(reason: "cannot truncate \(name): \(SystemError.describe(errno))")
            }
        }
        return .repaired(keptBytes: scan.wholeEnd, cutBytes: cutBytes, cutReason: cutReason, inside: inside, insideCount: insideCount)
    }

    /// Whether the trace index of `path` proves the file whole: valid, and covering exactly the
    /// file's bytes (its check of the last member's trailer passed).
    static func indexVouches(for path: String, fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0,
              case .usable(let index) = TraceIndexFile.load(forLogFile: path)
        else { return false }
        return index.coveredBytes == UInt64(info.st_size)
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
        let message: String
        var metadata: Logger.Metadata = ["spanlog.repaired_file": .string(fileName)]
        switch outcome {
        case .intact, .vouchedForByIndex:
            return nil
        case .repaired(let kept, let cut, let cutReason, let inside, let insideCount):
            var parts: [String] = []
            if cut > 0 {
                parts.append("cut off \(cut) bytes after the last whole gzip member at offset \(kept) (\(Self.explain(cutReason)))")
            }
            if insideCount > 0 {
                let ranges = inside.map { "\($0.start)-\($0.end)" }.joined(separator: ", ")
                let more = insideCount > inside.count ? " and \(insideCount - inside.count) more" : ""
                let bytes = inside.reduce(0) { $0 + ($1.end - $1.start) }
                parts.append("kept the whole members after \(insideCount) damaged stretch\(insideCount == 1 ? "" : "es") at bytes \(ranges)\(more) (\(inside.first.map { "zlib: \($0.reason)" } ?? "not gzip"); not as SpanLog writes them: a machine crash before the data was synced, a failing disk, or another writer), which stay in place: spanlog skips them, zcat and gzip -t stop at them")
                metadata["spanlog.damaged_ranges"] = .string(ranges)
                metadata["spanlog.damaged_bytes"] = .stringConvertible(bytes)
            }
            message = "SpanLog repaired \(fileName): " + parts.joined(separator: "; ")
            metadata["spanlog.dropped_bytes"] = .stringConvertible(cut)
        case .removed(let dropped, let reason):
            message = "SpanLog removed \(fileName): it held no whole gzip member, only \(dropped) bytes (\(Self.explain(reason)))"
            metadata["spanlog.dropped_bytes"] = .stringConvertible(dropped)
        case .failed(let reason):
            reportToStandardError("could not check the previous log file: \(reason)")
            return nil
        }
        TraceIndexFile.remove(forLogFile: path)  // it described bytes that are gone now
        reportToStandardError(message)
        return (message, metadata)
    }

    /// Why bytes at the end of a file are not a whole member, in words.
    private static func explain(_ reason: String) -> String {
        reason == GzipMemberReader.endsInsideMember
            ? "a member cut short: a write was interrupted, as when the process is killed or the machine stops"
            : "not a whole gzip member: zlib says \(reason)"
    }
}
