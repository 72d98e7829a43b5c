/// A Bloom filter over trace ids: "certainly not here" or "maybe here".
///
/// Sized at ``bitsPerID`` bits per distinct id with ``hashCount`` probes, which gives a false
/// positive rate of about 0.8 % (documented in docs/format.md). An empty filter (no words)
/// contains nothing.
///
/// ```swift
/// var filter = BloomFilter(capacity: ids.count)
/// for id in ids { filter.insert(id) }
/// filter.mayContain(ids[0])  // true
/// ```
package struct BloomFilter: Sendable {
    package static let bitsPerID = 10
    package static let hashCount = 7

    /// The bits, little-endian within each word.
    package private(set) var words: [UInt64]
    package let hashCount: Int

    /// An empty filter with room for `capacity` distinct ids.
    package init(capacity: Int) {
        let bits = capacity * Self.bitsPerID
        self.words = Array(repeating: 0, count: capacity == 0 ? 0 : max(1, (bits + 63) / 64))
        self.hashCount = Self.hashCount
    }

    /// A filter read back from an index.
    package init(words: [UInt64], hashCount: Int) {
        self.words = words
        self.hashCount = hashCount
    }

    package mutating func insert(_ id: TraceIDHash) {
        guard !self.words.isEmpty else { return }
        let bitCount = UInt64(self.words.count) * 64
        var probe = id.first
        for _ in 0..<self.hashCount {
            let bit = probe % bitCount
            self.words[Int(bit >> 6)] |= 1 << (bit & 63)
            probe = probe &+ id.second
        }
    }

    package func mayContain(_ id: TraceIDHash) -> Bool {
        guard !self.words.isEmpty else { return false }
        let bitCount = UInt64(self.words.count) * 64
        var probe = id.first
        for _ in 0..<self.hashCount {
            let bit = probe % bitCount
            if self.words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
            probe = probe &+ id.second
        }
        return true
    }
}
