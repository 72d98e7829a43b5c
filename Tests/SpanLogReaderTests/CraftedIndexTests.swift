import CZlib
import Foundation
@testable import SpanLogReader
import SpanLogFormat
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real gzip log file with a real index (one block per member), and ways to rewrite that index
/// the way a crafted one would be: fields changed, the checksum recomputed.
struct IndexedLog {
    let directory: TemporaryDirectory
    let name = "app-20261125T150000Z-0001.jsonl.gz"
    /// The trace whose records are all in block `tracedBlock`.
    let trace = randomHex(32)
    let tracedBlock = 3
    let blocks = 6
    var path: String { self.directory.file(self.name) }
    var indexPath: String { self.path + ".idx" }

    init() throws {
        self.directory = try TemporaryDirectory("spanlog-crafted-index")
        var lines: [String] = []
        for block in 0..<self.blocks {
            for index in 0..<3 {
                let trace = block == self.tracedBlock ? self.trace : randomHex(32)
                lines.append(logRecord(at: DamageTests.base + Int64(block * 3 + index), message: "b\(block) r\(index)", trace: trace, span: randomHex(16)))
            }
        }
        try self.directory.write(self.name, gzipFile(lines, linesPerMember: 3))
        let outcome = TraceIndexer.index(file: self.path, force: true, blockBytes: 1)
        guard case .written = outcome else { throw IndexNotWritten(outcome: outcome) }
    }

    struct IndexNotWritten: Error { var outcome: TraceIndexer.Outcome }

    /// The index's bytes, changed by `edit`, with the checksum made right again.
    func rewriteIndex(_ edit: (inout IndexBytes) -> Void) throws {
        var index = IndexBytes(bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: self.indexPath))))
        edit(&index)
        index.seal()
        try Data(index.bytes).write(to: URL(fileURLWithPath: self.indexPath))
    }
}

/// An index file's bytes, edited field by field (docs/format.md, "Format, version 1").
struct IndexBytes {
    var bytes: [UInt8]

    static let headerSize = 64
    static let entrySize = 48

    func u32(at offset: Int) -> UInt32 { self.bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) } }
    func u64(at offset: Int) -> UInt64 { self.bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) } }
    mutating func set(_ value: UInt64, at offset: Int) { withUnsafeBytes(of: value.littleEndian) { self.bytes.replaceSubrange(offset..<offset + 8, with: $0) } }
    mutating func set(_ value: UInt32, at offset: Int) { withUnsafeBytes(of: value.littleEndian) { self.bytes.replaceSubrange(offset..<offset + 4, with: $0) } }

    var blockCount: Int { Int(self.u32(at: 48)) }
    /// Offset of block `block`'s table entry.
    func entry(_ block: Int) -> Int { Self.headerSize + block * Self.entrySize }
    /// Where the Bloom filters start, and their total size.
    var filters: Range<Int> { (Self.headerSize + self.blockCount * Self.entrySize)..<(self.bytes.count - 4) }

    /// Recomputes the CRC-32 at the end.
    mutating func seal() {
        let crc = self.bytes.withUnsafeBytes { raw in
            UInt32(truncatingIfNeeded: crc32(crc32(0, nil, 0), raw.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(raw.count - 4)))
        }
        self.set(crc, at: self.bytes.count - 4)
    }
}

@Suite("crafted trace indexes: never a trap, a hang, a huge allocation or a hidden record")
struct CraftedIndexTests {
    /// `spanlog grep` with the index must print what `--no-index` prints, exit 0, and name the
    /// index and what is wrong with it.
    static func expectFallBack(_ log: IndexedLog, warning: String, timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let scanned = try SpanLogBinary.run(["grep", "--no-index", log.trace, log.directory.path])
        #expect(scanned.status == 0 && scanned.output.split(separator: "\n").count == 3, "\(scanned.error)", sourceLocation: sourceLocation)
        let indexed = try SpanLogBinary.run(["grep", log.trace, log.directory.path], timeout: timeout)
        #expect(!indexed.timedOut, "spanlog grep hung", sourceLocation: sourceLocation)
        #expect(!indexed.signalled, "spanlog grep crashed: \(indexed.error)", sourceLocation: sourceLocation)
        #expect(indexed.status == 0, "\(indexed.error)", sourceLocation: sourceLocation)
        #expect(indexed.output == scanned.output, sourceLocation: sourceLocation)
        #expect(indexed.error.contains(log.indexPath) && indexed.error.contains(warning), "\(indexed.error)", sourceLocation: sourceLocation)
    }

    @Test("the untouched index is used: grep reads only the trace's block")
    func untouchedIndexIsUsed() throws {
        let log = try IndexedLog()
        let progress = ScanProgress()
        let issues = IssueLog()
        let records = LogScanner(files: [log.path], progress: progress, issues: issues.handler).records(ofTrace: log.trace)
        #expect(records.count == 3)
        #expect(issues.issues.isEmpty, "\(issues.issues)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int)
        #expect(progress.bytesRead < UInt64(size) / 2)
    }

    @Test("a block's offset + length past 2^64: reported as corrupt, the file read in full")
    func offsetPlusLengthOverflows() throws {
        let log = try IndexedLog()
        try log.rewriteIndex { index in
            index.set(UInt64.max, at: index.entry(0) + 8)   // block 0's length
            index.set(UInt64.max, at: index.entry(1))       // block 1 starts where it "ends"
        }
        try Self.expectFallBack(log, warning: "corrupt index")
    }

    @Test("an uncompressed_offset near 2^64: reported as corrupt, the file read in full")
    func uncompressedOffsetNearTheEnd() throws {
        let log = try IndexedLog()
        try log.rewriteIndex { index in
            for block in log.tracedBlock..<index.blockCount {
                index.set(UInt64.max - 10, at: index.entry(block) + 16)
            }
            index.set(UInt64.max - 10, at: 32)   // uncompressed bytes covered
        }
        try Self.expectFallBack(log, warning: "corrupt index")
    }

    @Test("block record counts that do not add up to the header's: reported as corrupt")
    func recordCountsInconsistent() throws {
        let log = try IndexedLog()
        try log.rewriteIndex { index in index.set(UInt32.max, at: index.entry(0) + 40) }
        try Self.expectFallBack(log, warning: "corrupt index")
    }

    @Test("an all-zero Bloom filter does not hide the trace: the index is not trusted, the file read in full")
    func allZeroBloomFilter() throws {
        let log = try IndexedLog()
        try log.rewriteIndex { index in
            for offset in index.filters { index.bytes[offset] = 0 }
        }
        try Self.expectFallBack(log, warning: "untrusted index")
    }

    @Test("a FIFO named .idx is refused at once, not opened for a read that never ends")
    func fifoIndex() throws {
        let log = try IndexedLog()
        try FileManager.default.removeItem(atPath: log.indexPath)
        #expect(mkfifo(log.indexPath, 0o600) == 0)
        try Self.expectFallBack(log, warning: "not a regular file", timeout: 10)
    }

    @Test("a sparse 1 TiB .idx is refused by its size, never allocated")
    func hugeSparseIndex() throws {
        let log = try IndexedLog()
        let descriptor = open(log.indexPath, O_WRONLY | O_TRUNC)
        #expect(descriptor >= 0)
        #expect(ftruncate(descriptor, 1 << 40) == 0)
        close(descriptor)
        try Self.expectFallBack(log, warning: "more than an index of a", timeout: 20)
    }

    @Test("the reader API gives the same answers for every crafted index, without a trap")
    func readerAPI() throws {
        let edits: [(String, (inout IndexBytes) -> Void)] = [
            ("overflow", { $0.set(UInt64.max, at: $0.entry(0) + 8); $0.set(UInt64.max, at: $0.entry(1)) }),
            ("zero filters", { index in for offset in index.filters { index.bytes[offset] = 0 } }),
            ("filter bigger than its block", { index in index.set(UInt32(1 << 20), at: index.entry(0) + 44) }),
            ("covered bytes beyond the file", { index in index.set(UInt64.max - 7, at: 16) }),
            ("too many blocks", { index in index.set(UInt32.max, at: 48) }),
            ("time range inverted", { index in index.set(UInt64(1), at: index.entry(2) + 24); index.set(UInt64(0), at: index.entry(2) + 32) }),
        ]
        for (name, edit) in edits {
            let log = try IndexedLog()
            try log.rewriteIndex(edit)
            let issues = IssueLog()
            let records = LogScanner(files: [log.path], issues: issues.handler).records(ofTrace: log.trace)
            #expect(records.count == 3, "\(name)")
            #expect(issues.issues.contains { $0.path == log.indexPath && $0.severity == .warning }, "\(name): \(issues.issues)")
        }
    }
}
