#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The POSIX calls SpanLog's writer and reader make on file descriptors, each retried when a
/// signal interrupts it (`EINTR`) and, for writes, until every byte is written: the one place
/// those loops are written.
///
/// ```swift
/// let failure = FileDescriptorIO.writeAll(fd, bytes)          // 0, or the errno that stopped it
/// let count = FileDescriptorIO.read(fd, into: buffer, count: 65_536)   // -1 with errno set
/// ```
package enum FileDescriptorIO {
    /// Writes all of `bytes` to `fd`, retrying on EINTR and short writes. Returns the errno of the
    /// first failure, or 0.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                return code
            }
            offset += written
        }
        return 0
    }

    /// Writes all of `bytes` to `fd`; see ``writeAll(_:_:)-(_,UnsafeRawBufferPointer)``.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { Self.writeAll(fd, $0) }
    }

    /// Reads at most `count` bytes from `fd`, retrying on EINTR: the count read (0 at the end of
    /// the file), or -1 with `errno` set.
    package static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        while true {
            let result = systemRead(fd, buffer, count)
            if result >= 0 || errno != EINTR { return result }
        }
    }

    /// Reads at most `count` bytes of `fd` at `offset`, retrying on EINTR: the count read, or -1
    /// with `errno` set.
    package static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Int {
        while true {
            let result = pread(fd, buffer, count, off_t(offset))
            if result >= 0 || errno != EINTR { return result }
        }
    }

    /// Reads `fd` to its end into `buffer` (which it fills from the start): the bytes read, or
    /// -1 with `errno` set.
    package static func readAll(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var offset = 0
        while offset < buffer.count {
            let count = Self.read(fd, into: buffer.baseAddress! + offset, count: buffer.count - offset)
            if count < 0 { return -1 }
            if count == 0 { break }
            offset += count
        }
        return offset
    }

    /// Sleeps for `nanoseconds`, going back to sleep for the rest when a signal interrupts it.
    package static func sleep(nanoseconds: UInt64) {
        var request = timespec(tv_sec: Int(clamping: nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

/// libc's `read`, which the enum's own `read` hides inside it.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
