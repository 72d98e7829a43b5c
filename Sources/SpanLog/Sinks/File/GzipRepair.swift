#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Finds where the whole gzip members of a file end, and cuts a torn tail off.
///
/// A sink writes each member in one `write(2)`, but SIGKILL can cut a large write short, leaving
/// a member without its end. The members are walked by inflating them (the data is decompressed
/// and thrown away, so CRC and length trailers are checked too); the first member that does not
/// end inside the file, or is not gzip at all, marks the end of the good part.
enum GzipRepair {
    struct Scan: Equatable {
        /// Bytes from the start of the file covered by whole, valid members.
        var validBytes: Int
        /// The file's size when scanned.
        var fileBytes: Int
        /// Whole members found.
        var members: Int
    }

    /// Walks the members of the file open as `fd`, from offset 0. Returns nil if it cannot be
    /// read.
    static func scan(fd: Int32) -> Scan? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let fileBytes = Int(info.st_size)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            output.deallocate()
        }
        guard spanlog_inflateInit2(stream, 15 + 16) == Z_OK else { return nil }

        var validBytes = 0
        var members = 0
        var readOffset = 0  // file offset of the byte after those read so far
        while true {
            let count = pread(fd, input.baseAddress, input.count, off_t(readOffset))
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }  // end of file
            let chunkStart = readOffset
            readOffset += count
            stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(count)
            while stream.pointee.avail_in > 0 {
                stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(output.count)
                let result = inflate(stream, Z_NO_FLUSH)
                if result == Z_STREAM_END {
                    members += 1
                    validBytes = chunkStart + (count - Int(stream.pointee.avail_in))
                    inflateReset(stream)
                } else if result == Z_OK || result == Z_BUF_ERROR {
                    continue
                } else {
                    // Not gzip, or corrupt: everything from the end of the last whole member on
                    // is the torn tail.
                    return Scan(validBytes: validBytes, fileBytes: fileBytes, members: members)
                }
            }
        }
        return Scan(validBytes: validBytes, fileBytes: fileBytes, members: members)
    }

    enum Outcome: Equatable {
        /// The file ends with a whole member (or is a symlink / unreadable and was left alone).
        case intact
        /// The torn tail was cut off: `droppedBytes` bytes after `keptBytes`.
        case truncated(keptBytes: Int, droppedBytes: Int)
        /// Nothing whole was left, so the (then empty) file was removed.
        case removed(droppedBytes: Int)
        /// The file could not be opened or repaired; `reason` says why.
        case failed(reason: String)
    }

    /// Repairs the file at `path` (called `name` in messages): truncates it to its last whole
    /// member, and removes it if nothing whole remains. Refuses to follow a symlink.
    static func repair(path: String, name: String) -> Outcome {
        let fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ELOOP { return .failed(reason: "\(name) is a symlink; SpanLog does not write through symlinks") }
            return .failed(reason: "cannot open \(name): \(SystemError.describe(code))")
        }
        defer { close(fd) }
        guard let scan = Self.scan(fd: fd) else {
            return .failed(reason: "cannot read \(name): \(SystemError.describe(errno))")
        }
        if scan.validBytes == scan.fileBytes { return .intact }
        let dropped = scan.fileBytes - scan.validBytes
        if scan.validBytes == 0 {
            if unlink(path) != 0 {
                return .failed(reason: "cannot remove the torn \(name): \(SystemError.describe(errno))")
            }
            return .removed(droppedBytes: dropped)
        }
        if ftruncate(fd, off_t(scan.validBytes)) != 0 {
            return .failed(reason: "cannot truncate \(name): \(SystemError.describe(errno))")
        }
        return .truncated(keptBytes: scan.validBytes, droppedBytes: dropped)
    }
}
