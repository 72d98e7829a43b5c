#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// The log file a file writer appends to: its descriptor, its name, how much of it is whole
/// members, and the trace index of those members.
///
/// A file may start unnamed (`O_TMPFILE`); it then carries the name it is expected to get, for
/// messages, and gets its real one with ``becameLinked(as:)`` once its first member is in it.
struct ActiveLogFile {
    var fd: Int32
    var name: LogFileName
    var fileName: String
    var path: String
    /// Bytes on disk (all whole members).
    var size = 0
    /// Wall-clock nanoseconds at which time rotation closes this file.
    var rotateAt: Int64?
    /// When the file was started (its name's stamp).
    var openedAt: RecordTime
    /// False while the file is an unnamed `O_TMPFILE`: it gets its name once its first member
    /// is in it, so no file is ever visible empty.
    var linked: Bool
    /// The trace index of the members written so far (when indexes are on).
    var index: TraceIndexBuilder?
    /// The last 8 bytes written (the last member's gzip trailer), for the index.
    var tail: [UInt8] = []
    /// Whether bytes were written since the last `fsync`.
    var needsSync = false

    init(fd: Int32, name: LogDirectory.ClaimedName, rotateAt: Int64?, openedAt: RecordTime, linked: Bool) {
        self.fd = fd
        self.name = name.name
        self.fileName = name.fileName
        self.path = name.path
        self.rotateAt = rotateAt
        self.openedAt = openedAt
        self.linked = linked
    }

    /// Whether the file was deleted while open (the file or its whole directory).
    var wasDeleted: Bool {
        var info = stat()
        return self.linked && fstat(self.fd, &info) == 0 && info.st_nlink == 0
    }

    /// The unnamed file now has its name.
    mutating func becameLinked(as name: LogDirectory.ClaimedName) {
        self.name = name.name
        self.fileName = name.fileName
        self.path = name.path
        self.linked = true
    }

    /// `members` were just written to the file: its size grows by them and they join its index.
    mutating func noteWritten(_ members: PendingMembers, indexBlockBytes: Int) {
        self.size += members.bytes.count
        self.needsSync = true
        guard members.indexesRecords else { return }
        if self.index == nil { self.index = TraceIndexBuilder(blockBytes: UInt64(indexBlockBytes)) }
        for member in members.members {
            self.index!.appendMember(member.digest, compressedLength: member.compressedLength)
        }
        self.tail = Array(members.bytes.suffix(8))
    }

    /// After a failed write to a named file: cuts it back to its whole members, or removes it if
    /// it has none.
    func cutBackToWholeMembers() {
        if ftruncate(self.fd, off_t(self.size)) != 0 {
            reportToStandardError("could not cut \(self.path) back to its last whole gzip member (\(SystemError.describe(errno))); a reader skips the torn tail and the next start repairs it")
        } else if self.size == 0 {
            unlink(self.path)
        }
    }

    /// Stores the trace index beside the file, if it covers every member the file holds and the
    /// file is still linked. The descriptor stays open (the writer closes it, after syncing it
    /// when a durable flush asks for that).
    func storeIndex() {
        var info = stat()
        if var index = self.index, !index.isEmpty, self.linked, index.coveredBytes == self.size, self.tail.count == 8,
           fstat(self.fd, &info) == 0, info.st_nlink > 0, UInt64(info.st_size) == index.coveredBytes,
           let failure = TraceIndexFile.store(index.serialized(coveredTail: self.tail), forLogFile: self.path) {
            reportToStandardError("\(failure); spanlog reads \(self.fileName) in full instead")
        }
    }
}
