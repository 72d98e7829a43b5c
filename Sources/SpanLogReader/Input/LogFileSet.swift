#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import SpanLogFormat

/// The files to read, in reading order, resolved from command-line paths.
///
/// A directory contributes its log files (names ending in `.jsonl`, `.log`, `.json`, or any of
/// those plus `.gz`, or just `.gz`; not recursive). Within a directory, rotated files named
/// `<name>-<yyyyMMdd'T'HHmmss'Z'>-<seq>.jsonl.gz` are ordered by the time and sequence in their
/// name, which puts the active (newest) file last; other files are placed by modification time.
/// Files named explicitly keep the order given. Trace indexes (`<file>.idx`) and their temporary
/// files (`<file>.idx.tmp-<pid>`) are never log files, even when named explicitly (`logs/*`).
///
/// ```swift
/// let set = LogFileSet(paths: ["/var/log/app"])
/// for issue in set.issues { print(issue) }        // e.g. a missing path
/// for path in set.files { print(path) }
/// ```
public struct LogFileSet: Sendable {
    /// The files, in reading order.
    public var files: [String]
    /// Paths that could not be used (missing, unreadable directory); severity `error`.
    public var issues: [ReadIssue]

    /// Resolves `paths` (files or directories).
    public init(paths: [String]) {
        self.files = []
        self.issues = []
        for path in paths {
            var status = stat()
            guard stat(path, &status) == 0 else {
                self.issues.append(ReadIssue(path: path, offset: nil, severity: .error, message: LogFileReader.describeErrno(errno)))
                continue
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                switch Self.logFiles(inDirectory: path) {
                case .success(let files): self.files += files
                case .failure(let issue): self.issues.append(issue)
                }
            } else if !Self.isIndexFileName(path.split(separator: "/").last.map(String.init) ?? path) {
                self.files.append(path)
            }
        }
    }

    /// Whether a file name looks like a log file.
    public static func isLogFileName(_ name: String) -> Bool {
        var name = Substring(name)
        if name.hasSuffix(".gz") {
            name = name.dropLast(3)
            if !name.contains(".") { return true }
        }
        return name.hasSuffix(".jsonl") || name.hasSuffix(".log") || name.hasSuffix(".json")
    }

    /// Whether a file name is a trace index or an index's temporary file.
    static func isIndexFileName(_ name: String) -> Bool {
        name.hasSuffix(TraceIndexLayout.sidecarSuffix) || TraceIndexFile.isTemporaryFileName(name)
    }

    /// The start time and sequence in a rotated file's name, if it has the rotation pattern
    /// (`<name>-<yyyyMMdd'T'HHmmss'Z'>-<seq>.<extension>`, the file sink's names).
    public static func rotationKey(_ name: String) -> (time: RecordTime, sequence: Int)? {
        LogFileName.parse(name).map { ($0.name.time, $0.name.sequence) }
    }

    private static func logFiles(inDirectory directory: String) -> Result<[String], ReadIssue> {
        guard let handle = opendir(directory) else {
            return .failure(ReadIssue(path: directory, offset: nil, severity: .error, message: LogFileReader.describeErrno(errno)))
        }
        defer { closedir(handle) }
        struct Entry {
            var path: String
            var name: String
            var time: RecordTime
            var sequence: Int
        }
        var entries: [Entry] = []
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            guard name != ".", name != "..", Self.isLogFileName(name), !Self.isIndexFileName(name) else { continue }
            let path = prefix + name
            var status = stat()
            guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            if let key = Self.rotationKey(name) {
                entries.append(Entry(path: path, name: name, time: key.time, sequence: key.sequence))
            } else {
                // Saturating: a file can claim any mtime (touch -d 2300-01-01).
                let modified = RecordTime(nanosecondsSinceEpoch: RecordTime.seconds(Int64(status.st_mtim.tv_sec))) + Int64(status.st_mtim.tv_nsec)
                entries.append(Entry(path: path, name: name, time: modified, sequence: Int.max))
            }
        }
        entries.sort { ($0.time, $0.sequence, $0.name) < ($1.time, $1.sequence, $1.name) }
        return .success(entries.map(\.path))
    }
}
