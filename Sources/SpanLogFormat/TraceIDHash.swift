internal import CSpanLogFormat

/// The two 64-bit hashes a trace id contributes to a Bloom filter (double hashing: probe `i` is
/// `first + i * second`).
///
/// Computed from the id's 32 hex digits (either case: the id is the same number) by
/// `spanlog_trace_hash_digits` (C, shared with the record scanner; the function is spelled out
/// in docs/format.md), which mixes with the SplitMix64 finaliser so that ids whose halves are
/// not random (a zero-padded 64-bit id, a time prefix) still spread over the filter.
///
/// ```swift
/// let hash = TraceIDHash(hex: Array("4bf92f3577b34da6a3ce929d0e0e4736".utf8))!
/// ```
package struct TraceIDHash: Hashable, Sendable {
    package var first: UInt64
    package var second: UInt64

    package init(first: UInt64, second: UInt64) {
        self.first = first
        self.second = second
    }

    /// The hash of a 32-hex-digit id; nil for anything else.
    package init?(hex: [UInt8]) {
        guard hex.count == 32, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        let hash = hex.withUnsafeBufferPointer { spanlog_trace_hash_digits($0.baseAddress!) }
        self.init(first: hash.first, second: hash.second)
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || (self | 0x20 >= UInt8(ascii: "a") && self | 0x20 <= UInt8(ascii: "f"))
    }
}
