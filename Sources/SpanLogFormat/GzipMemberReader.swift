internal import CZlib
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// One zlib inflate stream that walks a multi-member gzip file member by member: the reader
/// decompresses records with it, and the file sink finds with it where a torn file's whole
/// members end. Every member is inflated to its trailer, so its CRC and length are checked.
///
/// Owned by one thread; not thread-safe.
///
/// ```swift
/// guard let gzip = GzipMemberReader() else { return }     // zlib could not be initialised
/// let step = gzip.inflate(input, into: output)
/// switch step.event {
/// case .memberEnded: …              // step.consumed input bytes end a whole member
/// case .progressed, .stalled: …     // more input or output space
/// case .damaged(let reason): …      // not gzip, or corrupt; the stream is ready for the next member
/// }
/// ```
package final class GzipMemberReader {
    /// What stopped one ``inflate(_:into:)``.
    package enum Event: Equatable, Sendable {
        /// The input's bytes up to `consumed` end a whole member; the next byte starts another.
        case memberEnded
        /// Progress was made; call again with the rest.
        case progressed
        /// No progress is possible without more input (or output space).
        case stalled
        /// The data is not gzip, or corrupt (`reason` is zlib's); the member is abandoned.
        case damaged(reason: String)
    }

    /// The first bytes of every gzip member (magic and the deflate method), where reading
    /// resumes after damage.
    package static let memberHeader: [UInt8] = [0x1F, 0x8B, 0x08]

    private let stream: UnsafeMutablePointer<z_stream>

    /// A reader at the start of a member; nil when zlib cannot be initialised.
    package init?() {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: gzip framing only.
        guard spanlog_inflateInit2(stream, 15 + 16) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
        self.stream = stream
    }

    deinit {
        inflateEnd(self.stream)
        self.stream.deinitialize(count: 1)
        self.stream.deallocate()
    }

    /// Inflates from `input` into `output` once: the bytes consumed and produced, and what
    /// stopped it. After ``Event/memberEnded`` and ``Event/damaged(reason:)`` the stream starts
    /// a new member with the next input.
    package func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> (consumed: Int, produced: Int, event: Event) {
        guard input.count > 0 else { return (0, 0, .stalled) }
        self.stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        self.stream.pointee.avail_in = uInt(clamping: input.count)
        self.stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        self.stream.pointee.avail_out = uInt(clamping: output.count)
        let result = CZlib.inflate(self.stream, Z_NO_FLUSH)
        let consumed = input.count - Int(self.stream.pointee.avail_in)
        let produced = output.count - Int(self.stream.pointee.avail_out)
        self.stream.pointee.next_in = nil
        self.stream.pointee.next_out = nil
        switch result {
        case Z_STREAM_END:
            inflateReset(self.stream)
            return (consumed, produced, .memberEnded)
        case Z_OK:
            return (consumed, produced, .progressed)
        case Z_BUF_ERROR:
            return (consumed, produced, .stalled)
        default:
            let reason = self.stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(result)"
            inflateReset(self.stream)
            return (consumed, produced, .damaged(reason: reason))
        }
    }

    /// Abandons the current member: the next input starts a new one.
    package func reset() {
        inflateReset(self.stream)
    }

    /// Where the whole members of a file end.
    package struct MemberScan: Equatable, Sendable {
        /// Bytes from the start of the file covered by whole, valid members.
        package var validBytes: Int
        /// The file's size when scanned.
        package var fileBytes: Int
        /// Whole members found.
        package var members: Int
    }

    /// Walks the members of the file open as `fd` from offset 0, decompressing and discarding
    /// their data; the first member that does not end inside the file, or is not gzip at all,
    /// ends the good part. Nil when the file cannot be read.
    package static func scanMembers(fd: Int32) -> MemberScan? {
        var info = stat()
        guard fstat(fd, &info) == 0, let gzip = GzipMemberReader() else { return nil }
        let fileBytes = Int(info.st_size)
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer {
            input.deallocate()
            output.deallocate()
        }
        var scan = MemberScan(validBytes: 0, fileBytes: fileBytes, members: 0)
        var readOffset = 0  // file offset of the byte after those read so far
        while true {
            let count = FileDescriptorIO.read(fd, into: input.baseAddress!, count: input.count, at: readOffset)
            if count < 0 { return nil }
            if count == 0 { return scan }  // end of file
            var used = 0
            while used < count {
                let step = gzip.inflate(UnsafeRawBufferPointer(rebasing: input[used..<count]), into: output)
                used += step.consumed
                switch step.event {
                case .memberEnded:
                    scan.members += 1
                    scan.validBytes = readOffset + used
                case .progressed:
                    continue
                case .stalled:
                    // Input and output space were there: no progress means no sense in it.
                    if step.consumed == 0 && step.produced == 0 { return scan }
                case .damaged:
                    return scan
                }
            }
            readOffset += count
        }
    }
}
