/// The two 64-bit hashes a trace id contributes to a Bloom filter (double hashing: probe `i` is
/// `first + i * second`).
///
/// Built from the id's 32 hex digits (either case; the id is the same number), mixed with the
/// SplitMix64 finaliser so ids whose halves are not random (a zero-padded 64-bit id, a time
/// prefix) still spread over the filter.
///
/// ```swift
/// let hash = TraceIDHash(hex: Array("4bf92f3577b34da6a3ce929d0e0e4736".utf8))!
/// ```
package struct TraceIDHash: Hashable, Comparable, Sendable {
    package var first: UInt64
    package var second: UInt64

    package init(first: UInt64, second: UInt64) {
        self.first = first
        self.second = second
    }

    /// The hash of the 32 hex digits at `digits[0..<32]`; nil when they are not 32 hex digits.
    package init?(digits: UnsafeRawPointer) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<32 {
            guard let nibble = Self.nibble(digits.load(fromByteOffset: index, as: UInt8.self)) else { return nil }
            if index < 16 {
                high = high << 4 | UInt64(nibble)
            } else {
                low = low << 4 | UInt64(nibble)
            }
        }
        self.first = Self.mix(high ^ (low << 32 | low >> 32))
        self.second = Self.mix(low &+ 0x9E37_79B9_7F4A_7C15 ^ high) | 1
    }

    /// The hash of a 32-hex-digit id; nil for anything else.
    package init?(hex: [UInt8]) {
        guard hex.count == 32 else { return nil }
        guard let hash = hex.withUnsafeBytes({ TraceIDHash(digits: $0.baseAddress!) }) else { return nil }
        self = hash
    }

    package static func < (lhs: TraceIDHash, rhs: TraceIDHash) -> Bool {
        (lhs.first, lhs.second) < (rhs.first, rhs.second)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// SplitMix64's finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
