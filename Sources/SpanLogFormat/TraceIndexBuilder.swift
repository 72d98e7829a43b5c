/// Builds the trace index of one gzip log file from the members written to it, in order.
///
/// Consecutive members are grouped into blocks of about ``blockBytes`` uncompressed bytes; each
/// block gets a Bloom filter over its trace ids and its time range. ``serialized(coveredTail:)`` gives the bytes of the sidecar file
/// (format in docs/format.md).
///
/// ```swift
/// var builder = TraceIndexBuilder()
/// builder.appendMember(digest, compressedLength: UInt64(member.count))
/// let bytes = builder.serialized(coveredTail: Array(fileBytes.suffix(8)))
/// ```
package struct TraceIndexBuilder: Sendable {
    /// A block ends at the first member boundary after this many uncompressed bytes.
    package static let blockBytes: UInt64 = 1 << 20

    private struct Block {
        var offset: UInt64
        var length: UInt64
        var uncompressedOffset: UInt64
        var digest: RecordDigest
    }

    private struct ClosedBlock {
        var offset: UInt64
        var length: UInt64
        var uncompressedOffset: UInt64
        var earliest: Int64
        var latest: Int64
        var records: UInt64
        var bloom: BloomFilter
    }

    private var closed: [ClosedBlock] = []
    private var open: Block?
    /// Compressed bytes covered so far: the offset at which the next member starts.
    package private(set) var coveredBytes: UInt64 = 0
    package private(set) var uncompressedBytes: UInt64 = 0
    package private(set) var records: UInt64 = 0
    private let blockTarget: UInt64

    /// A builder whose blocks end at the first member boundary after `blockBytes` uncompressed
    /// bytes (tests use small blocks).
    package init(blockBytes: UInt64 = TraceIndexBuilder.blockBytes) {
        self.blockTarget = max(blockBytes, 1)
    }

    /// True when no member has been appended.
    package var isEmpty: Bool { self.coveredBytes == 0 }

    /// The next member of the file: its records' digest and its compressed size.
    package mutating func appendMember(_ digest: RecordDigest, compressedLength: UInt64) {
        if self.open == nil {
            self.open = Block(offset: self.coveredBytes, length: 0, uncompressedOffset: self.uncompressedBytes, digest: RecordDigest())
        }
        self.open!.length += compressedLength
        self.open!.digest.append(digest)
        self.coveredBytes += compressedLength
        self.uncompressedBytes += digest.bytes
        self.records += digest.records
        if self.open!.digest.bytes >= self.blockTarget {
            self.closeBlock()
        }
    }

    private mutating func closeBlock() {
        guard let block = self.open else { return }
        self.open = nil
        let bloom = BloomFilter(ids: block.digest.ids)
        let range = block.digest.timeUnknown ? nil : block.digest.timeRange
        self.closed.append(ClosedBlock(
            offset: block.offset, length: block.length, uncompressedOffset: block.uncompressedOffset,
            earliest: range?.earliest ?? Int64.min, latest: range?.latest ?? Int64.max,
            records: block.digest.records, bloom: bloom))
    }

    /// The index file's bytes. `coveredTail` is the last 8 bytes of the file's first
    /// ``coveredBytes`` bytes (the last member's gzip trailer), which lets a reader notice a file
    /// that changed after it was indexed.
    package mutating func serialized(coveredTail: [UInt8]) -> [UInt8] {
        precondition(coveredTail.count == 8, "the covered tail is 8 bytes")
        self.closeBlock()

        var out = IndexBytesWriter()
        out.append(bytes: TraceIndexLayout.magic)
        out.append(UInt32(TraceIndexLayout.version))
        out.append(UInt32(BloomFilter.hashCount))
        out.append(self.coveredBytes)
        out.append(bytes: coveredTail)
        out.append(self.uncompressedBytes)
        out.append(self.records)
        out.append(UInt32(self.closed.count))
        out.append(UInt32(0))  // reserved
        out.append(UInt64(0))  // reserved
        for block in self.closed {
            out.append(block.offset)
            out.append(block.length)
            out.append(block.uncompressedOffset)
            out.append(UInt64(bitPattern: block.earliest))
            out.append(UInt64(bitPattern: block.latest))
            out.append(UInt32(truncatingIfNeeded: min(block.records, UInt64(UInt32.max))))
            out.append(UInt32(block.bloom.words.count))
        }
        for block in self.closed {
            for word in block.bloom.words { out.append(word) }
        }
        out.append(TraceIndexLayout.checksum(out.bytes[...]))
        return out.bytes
    }
}

/// Little-endian fields into a byte array.
struct IndexBytesWriter {
    var bytes: [UInt8] = []

    mutating func append(bytes: [UInt8]) { self.bytes += bytes }

    mutating func append<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { self.bytes.append(contentsOf: $0) }
    }
}
