#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// The file writer's gzip members on their way to disk: the member being compressed and the
/// whole members that the next `write(2)` carries, with the records they hold (what a loss
/// counts) and, when trace indexes are on, what the index needs of each member.
///
/// Owned by the writer thread. Compressing allocates nothing of its own: the member bytes grow
/// in reused buffers, and a member's digest is replaced only when the member ends.
///
/// ```swift
/// var members = PendingMembers(gzipLevel: 1, indexesRecords: true)
/// members.compress(chunk)       // whole records
/// members.endMember()           // now in `bytes`, ready for one write
/// file.noteWritten(members, indexBlockBytes: 1 << 20)
/// members.removeWritten()
/// ```
struct PendingMembers {
    /// A whole member in ``bytes``: its compressed size and its records' digest.
    struct Member {
        var compressedLength: UInt64
        var digest: RecordDigest
    }

    private let gzip: GzipMemberWriter
    /// Whole gzip members, in order, not yet on disk.
    private(set) var bytes: [UInt8] = []
    /// The records in ``bytes``.
    private(set) var records: UInt64 = 0
    /// The records in the member being compressed.
    private(set) var memberRecords: UInt64 = 0
    /// The members in ``bytes``, in order (only when trace indexes are on).
    private(set) var members: [Member] = []
    /// The records of the member being compressed, for the trace index (nil when indexes are
    /// off).
    private var memberDigest: RecordDigest?
    /// When the first record of the member being compressed arrived (monotonic nanoseconds);
    /// nil while there is none.
    private(set) var memberStarted: UInt64?

    init(gzipLevel: Int, indexesRecords: Bool) {
        self.gzip = GzipMemberWriter(level: gzipLevel)
        self.memberDigest = indexesRecords ? RecordDigest() : nil
    }

    /// Whether the member being compressed holds records.
    var hasMemberData: Bool { self.gzip.hasMemberData }

    /// Uncompressed bytes in the member being compressed.
    var memberInputBytes: Int { self.gzip.memberInputBytes }

    /// Compressed bytes on their way: the whole members and what the open member produced so far.
    var compressedBytes: Int { self.bytes.count + self.gzip.output.count }

    /// Whether the members' digests are kept for a trace index.
    var indexesRecords: Bool { self.memberDigest != nil }

    /// Compresses whole records into the current member (and notes them for the index).
    mutating func compress(_ chunk: UnsafeRawBufferPointer) {
        if self.memberStarted == nil { self.memberStarted = monotonicNanoseconds() }
        self.gzip.append(chunk)
        if self.memberDigest != nil {
            let before = self.memberDigest!.records
            self.memberDigest!.add(chunk)
            self.memberRecords += self.memberDigest!.records - before
        } else {
            self.memberRecords += Self.countLines(chunk)
        }
    }

    /// Ends the current member (if it holds records) into ``bytes``.
    mutating func endMember() {
        self.memberStarted = nil
        guard self.gzip.hasMemberData else { return }
        let before = self.bytes.count
        self.gzip.finishMember(into: &self.bytes)
        self.records += self.memberRecords
        self.memberRecords = 0
        if let digest = self.memberDigest {
            self.members.append(Member(compressedLength: UInt64(self.bytes.count - before), digest: digest))
            self.memberDigest = RecordDigest()
        }
    }

    /// Forgets the whole members once they are on disk, keeping the buffers for the next ones.
    mutating func removeWritten() {
        self.bytes.removeAll(keepingCapacity: self.bytes.capacity <= 4 << 20)
        self.members.removeAll(keepingCapacity: true)
        self.records = 0
    }

    /// Drops the whole members unwritten (a shutdown during an outage); the open member stays.
    mutating func discardWhole() {
        self.bytes.removeAll()
        self.members.removeAll()
        self.records = 0
    }

    /// The offset of the last `\n` in `buffer[start..<end]`.
    static func lastNewline(in buffer: UnsafeRawBufferPointer, from start: Int, before end: Int) -> Int? {
        var index = end - 1
        while index >= start {
            if buffer[index] == UInt8(ascii: "\n") { return index }
            index -= 1
        }
        return nil
    }

    /// The number of `\n` in `chunk`.
    static func countLines(_ chunk: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = chunk.baseAddress else { return 0 }
        var count: UInt64 = 0
        var offset = 0
        while offset < chunk.count, let hit = memchr(base + offset, Int32(UInt8(ascii: "\n")), chunk.count - offset) {
            count += 1
            offset = base.distance(to: UnsafeRawPointer(hit)) + 1
        }
        return count
    }
}
