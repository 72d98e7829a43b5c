internal import Foundation

/// A folder of this process's own for the files the targets read (in `/dev/shm` when there is
/// one, so writing an input costs no disk I/O), removed at exit.
enum ScratchFolder {
    static let path: String = {
        let parent = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        var template = Array((parent + "/spanlog-fuzz-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("SpanLogFuzz: cannot create a scratch folder in \(parent)") }
        let path = String(cString: made)
        atexit { try? FileManager.default.removeItem(atPath: ScratchFolder.path) }
        return path
    }()

    /// Writes `bytes` as the whole contents of `name` in the folder; returns its path.
    @discardableResult
    static func write(_ bytes: UnsafeRawBufferPointer, as name: String) -> String {
        let path = self.path + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { fatalError("SpanLogFuzz: cannot create \(path): errno \(errno)") }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            guard count > 0 else { fatalError("SpanLogFuzz: cannot write \(path): errno \(errno)") }
            written += count
        }
        return path
    }

    /// Writes `bytes` as the whole contents of `name` in the folder; returns its path.
    @discardableResult
    static func write(_ bytes: [UInt8], as name: String) -> String {
        bytes.withUnsafeBytes { self.write($0, as: name) }
    }
}
