#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// The system calls a file writer makes that tests need to fail or stall: by default the real
/// ones. A test builds a sink with its own (`RotatingGzipFileSink(configuration:clock:faults:)`)
/// to make a `write(2)` hang like one on a hard NFS mount, or an `fsync` fail like one after a
/// lost disk.
///
/// ```swift
/// var faults = FileSinkFaults()
/// faults.fsync = { _ in EIO }   // every fsync fails with EIO
/// ```
struct FileSinkFaults: Sendable {
    /// Writes all of the bytes to the descriptor: 0, or the errno that stopped it.
    var write: @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 = { fd, bytes in
        FileDescriptorIO.writeAll(fd, bytes)
    }
    /// Syncs the descriptor to stable storage: 0, or the errno of the failure.
    var fsync: @Sendable (_ fd: Int32) -> Int32 = { fd in
        systemFsync(fd) == 0 ? 0 : errno
    }

    init() {}
}

/// libc's `fsync`, which the struct's own `fsync` hides inside it.
private func systemFsync(_ fd: Int32) -> Int32 {
    fsync(fd)
}
