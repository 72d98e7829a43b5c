#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The files to read, in reading order, resolved from command-line paths.
///
/// A directory contributes its log files (names ending in `.jsonl`, `.log`, `.json`, or any of
/// those plus `.gz`, or just `.gz`; not recursive). Within a directory, rotated files named
/// `<name>-<yyyyMMdd'T'HHmmss'Z'>-<seq>.jsonl.gz` are ordered by the time and sequence in their
/// name, which puts the active (newest) file last; other files are placed by modification time.
/// Files named explicitly keep the order given.
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
            } else {
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

    /// The start time and sequence in a rotated file's name, if it has the rotation pattern.
    public static func rotationKey(_ name: String) -> (time: RecordTime, sequence: Int)? {
        // <name>-yyyyMMddTHHmmssZ-NNNN.<extension>
        let parts = name.split(separator: ".", maxSplits: 1)
        guard let stem = parts.first else { return nil }
        let pieces = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count >= 3, let sequence = Int(pieces[pieces.count - 1]) else { return nil }
        let stamp = Array(pieces[pieces.count - 2].utf8)
        guard stamp.count == 16, stamp[8] == UInt8(ascii: "T"), stamp[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: stamp[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15) else { return nil }
        let days = RecordTime.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return (RecordTime(nanoseconds: seconds * 1_000_000_000), sequence)
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
            guard name != ".", name != "..", Self.isLogFileName(name) else { continue }
            let path = prefix + name
            var status = stat()
            guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            if let key = Self.rotationKey(name) {
                entries.append(Entry(path: path, name: name, time: key.time, sequence: key.sequence))
            } else {
                let modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
                entries.append(Entry(path: path, name: name, time: RecordTime(nanoseconds: modified), sequence: Int.max))
            }
        }
        entries.sort { ($0.time, $0.sequence, $0.name) < ($1.time, $1.sequence, $1.name) }
        return .success(entries.map(\.path))
    }
}
