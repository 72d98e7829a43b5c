#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// The directory a rotating sink writes to, and the files of one sink name in it.
struct LogDirectory {
    let path: String
    let base: String

    /// The full path of a file name in the directory.
    func path(of name: String) -> String {
        self.path.hasSuffix("/") ? self.path + name : self.path + "/" + name
    }

    /// Creates the directory and any missing parents with mode 0750. Returns 0 or the errno of
    /// the first failure; an existing directory is success.
    func create() -> Int32 {
        var info = stat()
        if stat(self.path, &info) == 0 {
            return (info.st_mode & S_IFMT) == S_IFDIR ? 0 : ENOTDIR
        }
        let bytes = Array(self.path.utf8)
        var index = 1
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == UInt8(ascii: "/") {
                let prefix = String(decoding: bytes[0..<index], as: UTF8.self)
                if mkdir(prefix, 0o750) != 0 {
                    let code = errno
                    if code != EEXIST { return code }
                    if stat(prefix, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR { return ENOTDIR }
                }
            }
            index += 1
        }
        return 0
    }

    /// This sink's files in the directory, oldest first (the lexical order of their names).
    /// Returns the errno when the directory cannot be read.
    func files() -> Result<[LogFileName], SystemErrorCode> {
        guard let handle = opendir(self.path) else { return .failure(SystemErrorCode(errno)) }
        defer { closedir(handle) }
        var found: [LogFileName] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if let parsed = LogFileName(parsing: name, base: self.base) { found.append(parsed) }
        }
        found.sort()
        return .success(found)
    }

    /// Whether `path` is a symlink (not followed).
    func isSymlink(_ name: String) -> Bool {
        var info = stat()
        return lstat(self.path(of: name), &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// A name a file of this sink took in the directory.
    struct ClaimedName {
        var name: LogFileName
        var fileName: String
        var path: String
    }

    /// What one try to take a name did.
    enum NameAttempt {
        /// The file is there under the name now.
        case claimed
        /// Something already has the name: try the next one.
        case taken
        /// Failed with this errno: give up.
        case failed(Int32)
    }

    /// What ``claimName(startingAt:startedAt:_:)`` ended with.
    enum NameClaim {
        case claimed(ClaimedName)
        /// `attempt` failed on `path` with `code`.
        case failed(path: String, code: Int32)
        /// Every name tried was taken.
        case noFreeName
    }

    /// How many names ``claimName(startingAt:startedAt:_:)`` tries before it gives up.
    static let nameAttempts = 100

    /// Claims the first free name from `first` on, in ``LogFileName/next(after:now:)`` order for
    /// a file started at `startedAt`: `attempt` tries to put the file under a path (creating it
    /// with `O_EXCL`, or linking an unnamed one) and says whether the name was free. A taken name
    /// that is a symlink is reported on standard error, and skipped like any other.
    ///
    /// ```swift
    /// var fd: Int32 = -1
    /// let claim = directory.claimName(startingAt: first, startedAt: now) { path in
    ///     fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o640)
    ///     return fd >= 0 ? .claimed : errno == EEXIST ? .taken : .failed(errno)
    /// }
    /// ```
    func claimName(startingAt first: LogFileName, startedAt: RecordTime, _ attempt: (_ path: String) -> NameAttempt) -> NameClaim {
        var name = first
        for _ in 0..<Self.nameAttempts {
            let fileName = name.fileName(base: self.base)
            let path = self.path(of: fileName)
            switch attempt(path) {
            case .claimed:
                return .claimed(ClaimedName(name: name, fileName: fileName, path: path))
            case .failed(let code):
                return .failed(path: path, code: code)
            case .taken:
                if self.isSymlink(fileName) {
                    reportToStandardError("\(path) is a symlink; SpanLog does not write through symlinks, so it skips that name")
                }
                name = LogFileName.next(after: name, now: startedAt)
            }
        }
        return .noFreeName
    }

    /// Deletes an old file of this sink (retention) and its trace index; a file already gone is
    /// no error.
    func remove(_ name: LogFileName) {
        let path = self.path(of: name.fileName(base: self.base))
        TraceIndexFile.remove(forLogFile: path)
        if unlink(path) != 0 && errno != ENOENT {
            reportToStandardError("could not delete the old log file \(path) (retention): \(SystemError.describe(errno))")
        }
    }
}

/// An `errno` value as an `Error`.
struct SystemErrorCode: Error, Equatable {
    var code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { SystemError.describe(self.code) }
}
