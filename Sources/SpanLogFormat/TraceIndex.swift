/// A parsed trace index: which blocks (byte ranges of whole gzip members) of one log file can
/// hold a trace id or a time range.
///
/// ```swift
/// let index = try TraceIndex(parsing: bytes)
/// for block in index.blocks(mayHolding: hash, from: nil, through: nil) { read(block.offset, block.length) }
/// ```
package struct TraceIndex: Sendable {
    package struct Block: Sendable {
        /// File offset of the block's first member, and the compressed length of its members.
        package var offset: UInt64
        package var length: UInt64
        /// Offset of the block's first byte in the file's decompressed contents.
        package var uncompressedOffset: UInt64
        /// Earliest and latest record time (Unix nanoseconds); `Int64.min`/`Int64.max` when
        /// unknown.
        package var earliest: Int64
        package var latest: Int64
        package var records: UInt32
        /// Where the block's Bloom filter is in the index bytes, and its size in 64-bit words.
        var bloomOffset: Int
        var bloomWords: Int
    }

    package var coveredBytes: UInt64
    package var coveredTail: [UInt8]
    package var uncompressedBytes: UInt64
    package var records: UInt64
    package var blocks: [Block]
    /// The index file's bytes: the Bloom filters are probed where they are, not copied out.
    private let bytes: [UInt8]
    private let hashCount: Int

    /// Parses and checks an index file's bytes: every field is range-checked before it is used
    /// (docs/format.md, "Checks a reader makes"), so crafted bytes give an error, never a trap.
    package init(parsing bytes: [UInt8]) throws(TraceIndexProblem) {
        var reader = IndexBytesReader(bytes: bytes)
        guard bytes.count >= TraceIndexLayout.headerSize + 4 else {
            throw .corrupt("truncated (\(bytes.count) bytes, shorter than a header)")
        }
        guard Array(bytes[0..<8]) == TraceIndexLayout.magic else { throw .corrupt("not a SpanLog trace index (bad magic bytes)") }
        reader.offset = 8
        let version = reader.u32()
        guard version == TraceIndexLayout.version else {
            throw .unsupported("format version \(version); this spanlog reads version \(TraceIndexLayout.version)")
        }
        let stored = UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self) })
        guard TraceIndexLayout.checksum(bytes[0..<(bytes.count - 4)]) == stored else {
            throw .corrupt("checksum mismatch (the index is damaged or truncated)")
        }
        let hashCount = reader.u32()
        self.coveredBytes = reader.u64()
        self.coveredTail = reader.bytes(8)
        self.uncompressedBytes = reader.u64()
        self.records = reader.u64()
        let blockCount = Int(reader.u32())
        _ = reader.u32()
        _ = reader.u64()
        guard (1...64).contains(hashCount),
              blockCount <= (bytes.count - TraceIndexLayout.headerSize - 4) / TraceIndexLayout.blockEntrySize
        else { throw .corrupt("inconsistent sizes in the header") }
        // Every block is at least one whole gzip member.
        guard UInt64(blockCount) <= self.coveredBytes / TraceIndexLayout.minimumMemberBytes else {
            throw .corrupt("\(blockCount) blocks cannot fit in \(self.coveredBytes) bytes")
        }
        let (inflatedLimit, inflatedOverflow) = self.coveredBytes.multipliedReportingOverflow(by: TraceIndexLayout.maximumInflation)
        guard inflatedOverflow || self.uncompressedBytes <= inflatedLimit else {
            throw .corrupt("\(self.uncompressedBytes) uncompressed bytes cannot come from \(self.coveredBytes) gzip bytes")
        }
        var blocks: [Block] = []
        blocks.reserveCapacity(blockCount)
        let tableEnd = TraceIndexLayout.headerSize + blockCount * TraceIndexLayout.blockEntrySize
        var bloomOffset = tableEnd
        var expectedOffset: UInt64 = 0
        var recordSum: UInt64 = 0
        for number in 0..<blockCount {
            let offset = reader.u64()
            let length = reader.u64()
            let uncompressedOffset = reader.u64()
            let earliest = Int64(bitPattern: reader.u64())
            let latest = Int64(bitPattern: reader.u64())
            let records = reader.u32()
            let words = Int(reader.u32())
            // offset == expectedOffset <= coveredBytes, so the subtraction cannot wrap.
            guard offset == expectedOffset, length >= TraceIndexLayout.minimumMemberBytes, length <= self.coveredBytes - offset,
                  earliest <= latest
            else { throw .corrupt("block table out of order (block \(number))") }
            let previousStart = blocks.last?.uncompressedOffset ?? 0
            guard uncompressedOffset <= self.uncompressedBytes, uncompressedOffset >= previousStart,
                  number > 0 || uncompressedOffset == 0
            else { throw .corrupt("uncompressed offsets out of order (block \(number))") }
            guard words == 0 || words & (words - 1) == 0,
                  words <= (bytes.count - 4 - bloomOffset) / 8
            else { throw .corrupt("a Bloom filter size that is not a power of two or does not fit (block \(number))") }
            // A block's filter is sized for its distinct ids, and every id comes with compressed bytes.
            guard UInt64(words) <= 1 + length else {
                throw .corrupt("a Bloom filter of \(words) words for a block of \(length) bytes (block \(number))")
            }
            expectedOffset = offset + length
            recordSum += UInt64(records)
            blocks.append(Block(offset: offset, length: length, uncompressedOffset: uncompressedOffset,
                                earliest: earliest, latest: latest, records: records, bloomOffset: bloomOffset, bloomWords: words))
            bloomOffset += words * 8
        }
        guard expectedOffset == self.coveredBytes else { throw .corrupt("blocks do not cover the indexed bytes") }
        guard bloomOffset + 4 == bytes.count else { throw .corrupt("inconsistent sizes in the block table") }
        guard recordSum == self.records else {
            throw .corrupt("the blocks hold \(recordSum) records, the header says \(self.records)")
        }
        // Each record is at least one byte (its newline) of the block's uncompressed bytes.
        for (number, block) in blocks.enumerated() {
            let end = number + 1 < blocks.count ? blocks[number + 1].uncompressedOffset : self.uncompressedBytes
            guard UInt64(block.records) <= end - block.uncompressedOffset else {
                throw .corrupt("block \(number) claims \(block.records) records in \(end - block.uncompressedOffset) bytes")
            }
        }
        self.blocks = blocks
        self.bytes = bytes
        self.hashCount = Int(hashCount)
        if let number = self.implausibleFilter() {
            let block = blocks[number]
            throw .untrusted("block \(number)'s Bloom filter has \(self.setBits(of: block)) of \(block.bloomWords * 64) bits set for \(block.records) records")
        }
    }

    /// The first block whose Bloom filter cannot be what the writer made: a filter with no bits
    /// set, or fewer than one in 16 (the writer's filters have about 15–45 % set), or a filter
    /// for a block without records. Such a filter could answer "not here" for ids that are there.
    private func implausibleFilter() -> Int? {
        for (number, block) in self.blocks.enumerated() where block.bloomWords > 0 {
            if block.records == 0 { return number }
            if self.setBits(of: block) * 16 < block.bloomWords * 64 { return number }
        }
        return nil
    }

    private func setBits(of block: Block) -> Int {
        self.bytes.withUnsafeBytes { raw in
            var count = 0
            for word in 0..<block.bloomWords {
                count += raw.loadUnaligned(fromByteOffset: block.bloomOffset + word * 8, as: UInt64.self).nonzeroBitCount
            }
            return count
        }
    }

    /// The blocks that may hold records of `id` within the time range (either end open), in
    /// file order.
    package func blocks(mayHolding id: TraceIDHash, from earliest: Int64?, through latest: Int64?) -> [Block] {
        self.bytes.withUnsafeBytes { raw in
            self.blocks.filter { block in
                if let earliest, block.latest < earliest { return false }
                if let latest, block.earliest > latest { return false }
                let words = UnsafeRawBufferPointer(rebasing: raw[block.bloomOffset..<(block.bloomOffset + block.bloomWords * 8)])
                return BloomFilter.mayContain(id, littleEndianWords: words, hashCount: self.hashCount)
            }
        }
    }
}

/// Why an index cannot be used; the reader then scans the file.
package enum TraceIndexProblem: Error, Sendable, CustomStringConvertible {
    case corrupt(String)
    case unsupported(String)
    case stale(String)
    case unreadable(String)
    /// Well-formed, but it cannot vouch for its file: a negative answer from it could hide
    /// records (docs/format.md, "When an index is trusted").
    case untrusted(String)

    package var description: String {
        switch self {
        case .corrupt(let reason): return "corrupt index: \(reason)"
        case .unsupported(let reason): return "unsupported index: \(reason)"
        case .stale(let reason): return "stale index: \(reason)"
        case .unreadable(let reason): return "unreadable index: \(reason)"
        case .untrusted(let reason): return "untrusted index: \(reason)"
        }
    }
}

/// Little-endian fields out of a byte array (bounds are checked by the caller).
struct IndexBytesReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func u32() -> UInt32 {
        defer { self.offset += 4 }
        return UInt32(littleEndian: self.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: self.offset, as: UInt32.self) })
    }

    mutating func u64() -> UInt64 {
        defer { self.offset += 8 }
        return UInt64(littleEndian: self.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: self.offset, as: UInt64.self) })
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        defer { self.offset += count }
        return Array(self.bytes[self.offset..<(self.offset + count)])
    }
}
