internal import CSpanLogFormat
internal import SpanLogFormat
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Reads one log file, plain JSON Lines or multi-member gzip (told apart by the gzip magic
/// bytes, not the name), and hands out blocks of complete lines.
///
/// Memory stays flat: one input buffer and one line buffer, however large the file — the line
/// buffer grows for a long line up to ``maximumLineBytes`` (16 MiB), and a longer line is skipped
/// to its newline and reported (the first one of a file, with its offset). Damage is
/// reported to the issue handler once, with the file and offset, and skipped: a corrupt gzip
/// member is left behind by searching for the next member header (`1f 8b 08`), a torn last
/// member is reported at ``finish(_:)``.
///
/// Reading can be resumed: ``readAvailable(_:)`` reads to the current end of the file and may be
/// called again after the file has grown (this is how `spanlog tail -f` follows a file).
///
/// ```swift
/// let reader = try LogFileReader(path: "logs/app-20261125T150405Z-0001.jsonl.gz") { print($0) }
/// let consume: (UnsafeRawBufferPointer, UInt64) -> Void = { block, offset in
///     LineSplitter.forEachLine(in: block, startingAt: offset) { line, _ in print(line.count) }
/// }
/// reader.readAvailable(consume)
/// reader.finish(consume)
/// ```
package final class LogFileReader {
    /// The file's path as given.
    package let path: String
    /// Compressed (on-disk) bytes read so far.
    package private(set) var bytesRead: UInt64 = 0
    /// Whether the file turned out to be gzip.
    package var isGzip: Bool { self.format == .gzip }
    /// Called at the end of every gzip member with the file offset just past it, and whether
    /// the member's data ended with a whole line (the trace indexer needs both).
    var memberEnded: ((_ end: UInt64, _ endsWithWholeLine: Bool) -> Void)?

    private enum Format { case unknown, plain, gzip, skipped }

    /// The longest line read, in bytes without its newline: 16 MiB (docs/cli.md, docs/format.md).
    /// A longer line is skipped up to its newline and reported (the first of a file with its
    /// offset, the rest counted), so a file without newlines cannot make the reader's memory grow.
    package static let maximumLineBytes = 16 << 20

    private static let inputCapacity = 256 * 1024
    private static let lineCapacity = 256 * 1024

    private let fileDescriptor: Int32
    private let issues: ReadIssueHandler
    private var format = Format.unknown
    private var lines = LineBuffer(capacity: LogFileReader.lineCapacity, maximumLineBytes: LogFileReader.maximumLineBytes)
    /// Over-long lines already reported.
    private var reportedOverlongLines = 0
    private let input: UnsafeMutableRawPointer
    private var inputStart = 0
    private var inputEnd = 0
    /// File offset of `input[0]`.
    private var inputFileOffset: UInt64 = 0
    private var atEndOfFile = false
    private var failed = false
    /// File offset where reading started, and where it stops (nil: the end of the file).
    private let rangeStart: UInt64
    private let rangeEnd: UInt64?

    private var gzip: GzipMemberReader?
    /// File offset where the current gzip member starts.
    private var memberStart: UInt64 = 0
    private var memberHasInput = false
    /// Set while searching for the next member header after damage: where the damage began and
    /// zlib's reason.
    private var damage: (offset: UInt64, reason: String)?

    /// Opens `path`. Throws a ``ReadIssue`` with severity `error` when it cannot be opened or is
    /// a directory.
    package convenience init(path: String, issues: @escaping ReadIssueHandler) throws(ReadIssue) {
        try self.init(path: path, issues: issues, range: nil, uncompressedOffset: 0)
    }

    /// Opens `path` to read only `range` of it (which must start at a gzip member, as the
    /// blocks of a trace index do; nil: the whole file); `uncompressedOffset` is where the range
    /// starts in the file's decompressed contents, so record locations match a full read.
    init(path: String, issues: @escaping ReadIssueHandler, range: Range<UInt64>?, uncompressedOffset: UInt64) throws(ReadIssue) {
        self.path = path
        self.rangeStart = range?.lowerBound ?? 0
        self.rangeEnd = range?.upperBound
        self.issues = issues
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ReadIssue(path: path, offset: nil, severity: .error, message: Self.describeErrno(errno))
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw ReadIssue(path: path, offset: nil, severity: .error, message: "is a directory")
        }
        if self.rangeStart > 0, lseek(descriptor, off_t(self.rangeStart), SEEK_SET) < 0 {
            let code = errno
            close(descriptor)
            throw ReadIssue(path: path, offset: self.rangeStart, severity: .error, message: "seek failed: \(Self.describeErrno(code))")
        }
        self.fileDescriptor = descriptor
        self.input = UnsafeMutableRawPointer.allocate(byteCount: Self.inputCapacity, alignment: 16)
        self.inputFileOffset = self.rangeStart
        self.memberStart = self.rangeStart
        self.lines.startOffset(at: uncompressedOffset)
    }

    deinit {
        close(self.fileDescriptor)
        self.input.deallocate()
    }

    static func describeErrno(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or directory"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a directory"
        default: return String(cString: strerror(code))
        }
    }

    /// Reads up to the current end of the file, handing every block of complete lines (each line
    /// ending in `\n`) and the decompressed offset of its first byte to `body`.
    /// Returns how many file bytes were read.
    @discardableResult
    package func readAvailable(_ body: (UnsafeRawBufferPointer, UInt64) -> Void) -> UInt64 {
        let before = self.bytesRead
        while !self.failed, self.format != .skipped {
            if self.format == .plain {
                let space = self.lines.reserveFreeSpace()
                let count = self.readFile(into: space.baseAddress!, count: space.count)
                guard count > 0 else { break }
                self.commitLines(count, body)
                continue
            }
            self.compactInput()
            let count = self.readFile(into: self.input + self.inputEnd, count: Self.inputCapacity - self.inputEnd)
            guard count > 0 else { break }
            self.inputEnd += count
            if self.format == .unknown { self.detectFormat(body) }
            if self.format == .gzip { self.inflateAvailable(body) }
        }
        return self.bytesRead - before
    }

    /// Ends the read at the current end of the file: reports a torn last gzip member or damage
    /// that reached the end of the file, and hands out a plain file's last line when it has no
    /// newline.
    package func finish(_ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        defer { self.reportOverlongLines(final: true) }
        switch self.format {
        case .plain:
            self.lines.flushTail(body)
        case .gzip:
            let fileEnd = self.inputFileOffset + UInt64(self.inputEnd)
            if let damage = self.damage {
                self.report(damage.offset, "damaged gzip data (\(damage.reason)); no further gzip member before the end of the file, \(fileEnd - damage.offset) bytes skipped")
                self.damage = nil
                self.lines.discardTail()
            } else if self.memberHasInput || self.inputStart < self.inputEnd {
                self.report(self.memberStart, "truncated gzip member (\(fileEnd - self.memberStart) bytes to the end of the file): its incomplete last line was skipped")
                self.lines.discardTail()
                self.memberHasInput = false
                self.inputStart = self.inputEnd
            } else {
                self.lines.flushTail(body)
            }
        case .unknown:
            // Fewer bytes than a gzip header: a plain file, or a torn one-member gzip file.
            if self.inputEnd > 0 {
                if self.input.load(as: UInt8.self) == 0x1F {
                    self.report(0, "truncated gzip file (\(self.inputEnd) bytes)")
                } else {
                    self.format = .plain
                    let space = self.lines.reserveFreeSpace()
                    space.baseAddress!.copyMemory(from: self.input, byteCount: self.inputEnd)
                    self.commitLines(self.inputEnd, body)
                    self.lines.flushTail(body)
                }
            }
        case .skipped:
            break
        }
    }

    /// Bytes the line buffer holds room for (it never shrinks, so this is its peak).
    var lineBufferCapacity: Int { self.lines.capacity }

    /// Hands `added` new bytes of the line buffer on as complete lines, and reports the first
    /// over-long line of the file when one was skipped.
    private func commitLines(_ added: Int, _ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        self.lines.commit(added, body)
        if self.reportedOverlongLines == 0 { self.reportOverlongLines(final: false) }
    }

    /// Reports the first skipped over-long line (with its decompressed offset) as soon as it is
    /// met, and at the end how many more there were.
    private func reportOverlongLines(final: Bool) {
        let skipped = self.lines.overlongLines
        guard skipped > self.reportedOverlongLines else { return }
        if self.reportedOverlongLines == 0, let offset = self.lines.firstOverlongLineOffset {
            self.issues(ReadIssue(path: self.path, offset: offset, severity: .warning,
                                  message: "line longer than \(Self.maximumLineBytes) bytes (16 MiB) skipped up to its newline"))
            self.reportedOverlongLines = 1
        }
        if final, skipped > self.reportedOverlongLines {
            self.issues(ReadIssue(path: self.path, offset: nil, severity: .warning,
                                  message: "\(skipped - self.reportedOverlongLines) more lines longer than 16 MiB skipped"))
            self.reportedOverlongLines = skipped
        }
    }

    private func readFile(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        var count = count
        if let rangeEnd = self.rangeEnd {
            let position = self.rangeStart + self.bytesRead
            count = position >= rangeEnd ? 0 : Int(min(UInt64(count), rangeEnd - position))
            if count == 0 { return 0 }
        }
        let result = FileDescriptorIO.read(self.fileDescriptor, into: buffer, count: count)
        if result >= 0 {
            self.bytesRead += UInt64(result)
            return result
        }
        self.failed = true
        self.issues(ReadIssue(path: self.path, offset: self.bytesRead, severity: .error, message: "read failed: \(Self.describeErrno(errno))"))
        return 0
    }

    private func compactInput() {
        guard self.inputStart > 0 else { return }
        let remaining = self.inputEnd - self.inputStart
        if remaining > 0 {
            memmove(self.input, self.input + self.inputStart, remaining)
        }
        self.inputFileOffset += UInt64(self.inputStart)
        self.inputEnd = remaining
        self.inputStart = 0
    }

    private func detectFormat(_ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        let available = self.inputEnd - self.inputStart
        let bytes = UnsafeRawBufferPointer(start: self.input + self.inputStart, count: available)
        if available >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            self.format = .gzip
            guard let gzip = GzipMemberReader() else {
                self.failed = true
                self.issues(ReadIssue(path: self.path, offset: nil, severity: .error, message: "zlib could not be initialised"))
                return
            }
            self.gzip = gzip
            return
        }
        if available < 2, bytes.first == 0x1F { return }  // wait for the second magic byte
        let probe = bytes.prefix(4096)
        let firstText = probe.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if probe.contains(0) || (firstText != nil && firstText != UInt8(ascii: "{")) {
            self.format = .skipped
            self.issues(ReadIssue(path: self.path, offset: nil, severity: .error, message: "not a JSON Lines or gzip file (binary or foreign data); skipped"))
            return
        }
        self.format = .plain
        let space = self.lines.reserveFreeSpace()
        space.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: available)
        self.inputStart = self.inputEnd
        self.commitLines(available, body)
    }

    private func inflateAvailable(_ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        guard let gzip = self.gzip else { return }
        while true {
            if self.damage != nil, !self.resynchronise() { return }
            let available = self.inputEnd - self.inputStart
            guard available > 0 else { return }
            let space = self.lines.reserveFreeSpace()
            let step = gzip.inflate(UnsafeRawBufferPointer(start: self.input + self.inputStart, count: available), into: space)
            if step.consumed > 0 { self.memberHasInput = true }
            self.inputStart += step.consumed
            self.commitLines(step.produced, body)
            switch step.event {
            case .memberEnded:
                self.memberStart = self.inputFileOffset + UInt64(self.inputStart)
                self.memberHasInput = false
                self.memberEnded?(self.memberStart, self.lines.endsWithWholeLine)
            case .progressed:
                continue
            case .stalled:
                return
            case .damaged(let reason):
                self.lines.discardTail()
                self.memberHasInput = false
                self.damage = (self.memberStart, reason)
            }
        }
    }

    /// Looks for the next gzip member header after damage; `false` when more input is needed.
    private func resynchronise() -> Bool {
        guard let damage = self.damage else { return true }
        var searchFrom = self.inputStart
        if damage.offset >= self.inputFileOffset {
            searchFrom = max(searchFrom, Int(damage.offset - self.inputFileOffset) + 1)
        }
        guard searchFrom < self.inputEnd else { return false }
        let found = GzipMemberReader.memberHeader.withUnsafeBytes { needle in
            spanlog_memmem(self.input + searchFrom, self.inputEnd - searchFrom, needle.baseAddress, needle.count)
        }
        guard let found else {
            self.inputStart = max(searchFrom, self.inputEnd - 2)
            return false
        }
        let index = UnsafeRawPointer(found) - UnsafeRawPointer(self.input)
        let resumeAt = self.inputFileOffset + UInt64(index)
        self.report(damage.offset, "damaged gzip member (\(damage.reason)); \(resumeAt - damage.offset) bytes skipped, reading resumed at the next member at offset \(resumeAt)")
        self.inputStart = index
        self.memberStart = resumeAt
        self.damage = nil
        return true
    }

    private func report(_ offset: UInt64, _ message: String) {
        self.issues(ReadIssue(path: self.path, offset: offset, severity: .warning, message: message))
    }
}
