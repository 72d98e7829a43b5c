#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The temporary files an index is written through (`<file>.idx.tmp-<pid>`): their names, and
/// removing the ones a dead process left behind (docs/format.md, "Temporary files").
///
/// ```swift
/// TraceIndexFile.temporaryPath(forIndex: "logs/app.jsonl.gz.idx")   // "logs/app.jsonl.gz.idx.tmp-4711"
/// TraceIndexFile.isTemporaryFileName("app.jsonl.gz.idx.tmp-4711")    // true
/// TraceIndexFile.removeStaleTemporaryFiles(inDirectory: "logs")      // 1 (a dead pid's file)
/// ```
extension TraceIndexFile {
    /// What separates an index's name from the writer's pid in its temporary file's name.
    static let temporaryMarker = TraceIndexLayout.sidecarSuffix + ".tmp-"
    /// A temporary file younger than this is left alone even when its pid looks dead (its writer
    /// may live in another pid namespace sharing the directory).
    static let staleAfterSeconds = 60

    /// Where this process writes `indexPath` before renaming it into place.
    package static func temporaryPath(forIndex indexPath: String) -> String {
        indexPath + ".tmp-\(getpid())"
    }

    /// Whether `name` is an index's temporary file name, `<file>.idx.tmp-<digits>`.
    package static func isTemporaryFileName(_ name: String) -> Bool {
        Self.writerPID(ofTemporaryName: name) != nil
    }

    /// The pid in a temporary file's name, or nil when `name` is not one.
    static func writerPID(ofTemporaryName name: String) -> pid_t? {
        let bytes = Array(name.utf8)
        let marker = Array(Self.temporaryMarker.utf8)
        // The pid is the digits after the marker, up to the end of the name.
        var digitsStart = bytes.count
        while digitsStart > 0, bytes[digitsStart - 1] >= UInt8(ascii: "0"), bytes[digitsStart - 1] <= UInt8(ascii: "9") {
            digitsStart -= 1
        }
        let digitCount = bytes.count - digitsStart
        guard (1...9).contains(digitCount), digitsStart > marker.count,
              Array(bytes[(digitsStart - marker.count)..<digitsStart]) == marker
        else { return nil }
        var pid: pid_t = 0
        for byte in bytes[digitsStart...] { pid = pid * 10 + pid_t(byte - UInt8(ascii: "0")) }
        return pid > 0 ? pid : nil
    }

    /// The directory a file path is in: `.` for a bare name, `/` for a file at the root.
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Removes the temporary index files in the directory of `path` whose writer is dead.
    @discardableResult
    package static func removeStaleTemporaryFiles(inDirectoryOf path: String) -> Int {
        Self.removeStaleTemporaryFiles(inDirectory: Self.directory(of: path))
    }

    /// Removes the temporary index files in `directory` whose writer process is no longer alive
    /// and that were not modified in the last minute; returns how many were removed. Symbolic
    /// links are removed as names, never followed.
    @discardableResult
    package static func removeStaleTemporaryFiles(inDirectory directory: String) -> Int {
        guard let handle = opendir(directory) else { return 0 }
        defer { closedir(handle) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let now = time(nil)
        var removed = 0
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            guard let pid = Self.writerPID(ofTemporaryName: name), pid != getpid() else { continue }
            // Alive, or not ours to signal (EPERM): not stale.
            if kill(pid, 0) == 0 || errno != ESRCH { continue }
            var status = stat()
            guard lstat(prefix + name, &status) == 0 else { continue }
            let age = Int64(now) - Int64(status.st_mtim.tv_sec)
            guard age >= Int64(Self.staleAfterSeconds) else { continue }
            if unlink(prefix + name) == 0 { removed += 1 }
        }
        return removed
    }
}
