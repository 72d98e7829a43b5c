#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A Bloom filter over trace ids: "certainly not here" or "maybe here".
///
/// The size is a power of two bits, at least ``minimumBitsPerID`` per distinct id (so between
/// 20 and 40), with ``hashCount`` probes: at most about 0.01 % false positives (docs/format.md),
/// low enough that a lookup over thousands of blocks opens almost none in vain.
/// A filter of no words contains nothing.
///
/// ```swift
/// let filter = BloomFilter(ids: hashes)   // repeats allowed
/// filter.mayContain(hashes[0])             // true
/// ```
package struct BloomFilter: Sendable {
    package static let minimumBitsPerID = 20
    package static let hashCount = 10

    /// The bits: bit `b` is bit `b % 64` of word `b / 64`.
    package private(set) var words: [UInt64]
    package let hashCount: Int

    /// A filter holding `ids`, which may repeat. It is built at a size for all of them, then
    /// folded in halves (OR of the two halves; valid because sizes are powers of two) down to
    /// the size its distinct ids need, estimated from how many bits are set.
    package init(ids: [TraceIDHash]) {
        self.hashCount = Self.hashCount
        guard !ids.isEmpty else {
            self.words = []
            return
        }
        var words = Self.powerOfTwoWords(atLeastBits: ids.count * Self.minimumBitsPerID)
        var filter = [UInt64](repeating: 0, count: words)
        filter.withUnsafeMutableBufferPointer { bits in
            for id in ids { Self.insert(id, into: bits, hashCount: Self.hashCount) }
        }
        // Distinct ids ≈ −(m / k) · ln(1 − X / m), X = bits set.
        let bitCount = Double(words * 64)
        let set = Double(filter.reduce(0) { $0 + $1.nonzeroBitCount })
        let distinct = set >= bitCount ? Double(ids.count) : -(bitCount / Double(Self.hashCount)) * log1p(-set / bitCount)
        let needed = Self.powerOfTwoWords(atLeastBits: Int(distinct.rounded(.up)) * Self.minimumBitsPerID)
        while words > needed {
            words /= 2
            for index in 0..<words { filter[index] |= filter[index + words] }
        }
        filter.removeLast(filter.count - words)
        self.words = filter
    }

    package func mayContain(_ id: TraceIDHash) -> Bool {
        self.words.withUnsafeBytes { Self.mayContain(id, littleEndianWords: $0, hashCount: self.hashCount, littleEndian: false) }
    }

    /// Probes a filter stored as little-endian 64-bit words (as in an index file), in place.
    package static func mayContain(_ id: TraceIDHash, littleEndianWords words: UnsafeRawBufferPointer, hashCount: Int) -> Bool {
        Self.mayContain(id, littleEndianWords: words, hashCount: hashCount, littleEndian: true)
    }

    @inline(__always)
    private static func mayContain(_ id: TraceIDHash, littleEndianWords words: UnsafeRawBufferPointer, hashCount: Int, littleEndian: Bool) -> Bool {
        let wordCount = words.count / 8
        guard wordCount > 0 else { return false }
        let mask = UInt64(wordCount) * 64 - 1
        var probe = id.first
        for _ in 0..<hashCount {
            let bit = probe & mask
            var word = words.loadUnaligned(fromByteOffset: Int(bit >> 6) * 8, as: UInt64.self)
            if littleEndian { word = UInt64(littleEndian: word) }
            if word & (1 << (bit & 63)) == 0 { return false }
            probe = probe &+ id.second
        }
        return true
    }

    private static func insert(_ id: TraceIDHash, into words: UnsafeMutableBufferPointer<UInt64>, hashCount: Int) {
        let mask = UInt64(words.count) * 64 - 1
        var probe = id.first
        for _ in 0..<hashCount {
            let bit = probe & mask
            words[Int(bit >> 6)] |= 1 << (bit & 63)
            probe = probe &+ id.second
        }
    }

    /// The smallest power-of-two number of 64-bit words with at least `bits` bits.
    private static func powerOfTwoWords(atLeastBits bits: Int) -> Int {
        var words = 1
        while words * 64 < bits { words *= 2 }
        return words
    }
}
