#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A sink's exclusive hold on one file name in one directory, for the sink's life: an
/// `flock(LOCK_EX)` on `<directory>/.<name>.lock`. Only the holder of a name repairs, rotates and
/// deletes (retention) files of that name, so two sinks configured with the same name (two
/// processes, or two sinks in one process) never delete or cut each other's files.
///
/// A sink whose name is held by another takes the first free of `<name>-2`, `<name>-3`, …
/// (``LogNameLock/alternativeNames``). The lock goes with the descriptor: it is free again when its
/// holder closes it or dies, even by `kill -9`. Lock files are never deleted (that would let two
/// holders lock two different files of the same name).
///
/// ```swift
/// switch LogNameLock.acquire(directory: "/var/log/app", preferred: "app") {
/// case .locked(let lock): print(lock.name)   // "app", or "app-2" when another sink holds "app"
/// case .allTaken: …
/// case .failed(let path, let code): …
/// }
/// ```
struct LogNameLock {
    /// The name held.
    let name: String
    /// The lock file.
    let path: String
    private let fd: Int32

    /// How many names a sink tries: its own, then `-2` up to `-<alternativeNames + 1>`.
    static let alternativeNames = 15

    enum Acquired {
        case locked(LogNameLock)
        /// Every name tried is held by another sink.
        case allTaken
        /// The lock file `path` could not be opened or locked (`code`).
        case failed(path: String, code: Int32)
    }

    /// The lock file of `name` in `directory`.
    static func lockPath(directory: String, name: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + "." + name + ".lock"
    }

    /// Locks `preferred`, or the first free alternative name, in the existing `directory`.
    static func acquire(directory: String, preferred: String) -> Acquired {
        for number in 1...(Self.alternativeNames + 1) {
            let name = number == 1 ? preferred : "\(preferred)-\(number)"
            let path = Self.lockPath(directory: directory, name: name)
            let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o640)
            if fd < 0 { return .failed(path: path, code: errno) }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                return .locked(LogNameLock(name: name, path: path, fd: fd))
            }
            let code = errno
            close(fd)
            if code != EWOULDBLOCK && code != EAGAIN && code != EINTR { return .failed(path: path, code: code) }
        }
        return .allTaken
    }

    /// Whether the lock file was deleted (with its directory, say) since it was locked: another
    /// sink could then lock a new file of the same name, so the lock must be taken again.
    var wasDeleted: Bool {
        var info = stat()
        return fstat(self.fd, &info) == 0 && info.st_nlink == 0
    }

    /// Gives the name up.
    func release() {
        close(self.fd)
    }
}
