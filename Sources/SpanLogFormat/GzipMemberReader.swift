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
        /// Where the last whole member in the file ends, after damage too (reading resumes at the
        /// next member header after damage, as the reader does); 0 when there is none.
        package var wholeEnd = 0
        /// Whole members in the whole file, after damage too.
        package var allMembers = 0
        /// The stretches that are not whole members, in file order: the first
        /// ``maximumDamagedRanges`` of them (``damagedRangeCount`` says how many there are).
        package var damaged: [DamagedRange] = []
        /// Stretches that are not whole members.
        package var damagedRangeCount = 0

        package init(validBytes: Int, fileBytes: Int, members: Int) {
            self.validBytes = validBytes
            self.fileBytes = fileBytes
            self.members = members
        }
    }

    /// Bytes of a file that are not whole members: `start..<end`, and why (zlib's message, or
    /// that the file ends inside the member).
    package struct DamagedRange: Equatable, Sendable {
        package var start: Int
        package var end: Int
        package var reason: String
    }

    /// The reason of a ``DamagedRange`` that is a member the file ends inside (a torn write).
    package static let endsInsideMember = "the file ends inside the member"

    /// How many damaged stretches a scan lists.
    package static let maximumDamagedRanges = 16

    /// Walks the members of the file open as `fd` from offset 0, decompressing and discarding
    /// their data. The first member that does not end inside the file, or is not gzip at all,
    /// ends the good part (``MemberScan/validBytes``); the walk goes on at the next member header
    /// after it, as the reader does, to find the whole members after damage and where the
    /// damage is. Nil when the file cannot be read.
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
        var leading = true  // no damage yet
        var memberStart = 0  // file offset of the member being inflated
        var readOffset = 0  // file offset of the byte after those read so far
        func damage(_ end: Int, _ reason: String) {
            leading = false
            scan.damagedRangeCount += 1
            if scan.damaged.count < Self.maximumDamagedRanges {
                scan.damaged.append(DamagedRange(start: memberStart, end: end, reason: reason))
            }
        }
        reading: while true {
            let count = FileDescriptorIO.read(fd, into: input.baseAddress!, count: input.count, at: readOffset)
            if count < 0 { return nil }
            if count == 0 { break }  // end of file
            var used = 0
            while used < count {
                let step = gzip.inflate(UnsafeRawBufferPointer(rebasing: input[used..<count]), into: output)
                used += step.consumed
                var reason: String
                switch step.event {
                case .memberEnded:
                    scan.allMembers += 1
                    scan.wholeEnd = readOffset + used
                    memberStart = scan.wholeEnd
                    if leading {
                        scan.members += 1
                        scan.validBytes = scan.wholeEnd
                    }
                    continue
                case .progressed:
                    continue
                case .stalled:
                    // Input and output space were there: no progress means no sense in it.
                    if step.consumed != 0 || step.produced != 0 { continue }
                    reason = "no progress"
                case .damaged(let zlibReason):
                    reason = zlibReason
                }
                // Resume at the next member header after the damaged member's start: among the
                // bytes at hand when it started among them, else read on from the file.
                gzip.reset()
                let searchFrom = memberStart + 1
                let bytes = UnsafeRawBufferPointer(rebasing: input[0..<count])
                if searchFrom >= readOffset, let index = Self.headerIndex(in: bytes, from: searchFrom - readOffset) {
                    damage(readOffset + index, reason)
                    memberStart = readOffset + index
                    used = index
                    continue
                }
                let fileSearchFrom = searchFrom >= readOffset ? max(searchFrom, readOffset + count - (Self.memberHeader.count - 1)) : searchFrom
                guard let next = Self.nextMemberHeader(fd, from: fileSearchFrom, fileBytes: fileBytes, buffer: input) else {
                    damage(fileBytes, reason)
                    return scan
                }
                damage(next, reason)
                memberStart = next
                readOffset = next
                continue reading
            }
            readOffset += count
        }
        if memberStart < fileBytes { damage(fileBytes, Self.endsInsideMember) }
        return scan
    }

    /// The offset of the first ``memberHeader`` at or after `start` in the file, reading it into
    /// `buffer`; nil when there is none (or the file cannot be read).
    private static func nextMemberHeader(_ fd: Int32, from start: Int, fileBytes: Int, buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let header = Self.memberHeader
        var offset = start
        while offset + header.count <= fileBytes {
            let count = FileDescriptorIO.read(fd, into: buffer.baseAddress!, count: buffer.count, at: offset)
            if count < header.count { return nil }
            if let index = Self.headerIndex(in: UnsafeRawBufferPointer(rebasing: buffer[0..<count]), from: 0) {
                return offset + index
            }
            offset += count - (header.count - 1)  // a header may straddle two reads
        }
        return nil
    }

    /// The index of the first whole ``memberHeader`` in `bytes` at or after `start`.
    private static func headerIndex(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let header = Self.memberHeader
        var index = start
        while index + header.count <= bytes.count {
            if bytes[index] == header[0] && bytes[index + 1] == header[1] && bytes[index + 2] == header[2] {
                return index
            }
            index += 1
        }
        return nil
    }
}
