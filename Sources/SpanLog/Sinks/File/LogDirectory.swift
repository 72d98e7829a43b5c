#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
}

/// An `errno` value as an `Error`.
struct SystemErrorCode: Error, Equatable {
    var code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { SystemError.describe(self.code) }
}
