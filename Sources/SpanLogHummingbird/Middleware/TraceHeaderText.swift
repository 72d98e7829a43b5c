public import SpanLog

/// The response headers' values, written straight into a string's storage (one allocation each).
@usableFromInline
enum TraceHeaderText {
    /// `00-<trace id>-<span id>-<flags>`.
    @usableFromInline
    static func traceparent(_ ids: SpanContext) -> String {
        String(unsafeUninitializedCapacity: 55) { out in
            let base = out.baseAddress!
            base[0] = UInt8(ascii: "0")
            base[1] = UInt8(ascii: "0")
            base[2] = UInt8(ascii: "-")
            Self.hex(ids.traceID.high, into: base + 3)
            Self.hex(ids.traceID.low, into: base + 19)
            base[35] = UInt8(ascii: "-")
            Self.hex(ids.spanID.rawValue, into: base + 36)
            base[52] = UInt8(ascii: "-")
            let flags = ids.traceFlags.rawValue
            base[53] = Self.digit(flags >> 4)
            base[54] = Self.digit(flags & 0x0F)
            return 55
        }
    }

    /// The 32 hex digits of the trace id.
    @usableFromInline
    static func traceID(_ ids: SpanContext) -> String {
        ids.traceID.description
    }

    private static func hex(_ value: UInt64, into out: UnsafeMutablePointer<UInt8>) {
        var value = value
        for index in stride(from: 15, through: 0, by: -1) {
            out[index] = Self.digit(UInt8(truncatingIfNeeded: value & 0x0F))
            value >>= 4
        }
    }

    /// Without a branch: random ids make a branch on "letter or digit" mispredict often.
    private static func digit(_ nibble: UInt8) -> UInt8 {
        // 1 when the nibble is 10...15 (9 - nibble wraps around and sets the top bit).
        let isLetter = (9 &- nibble) >> 7
        return UInt8(ascii: "0") &+ nibble &+ isLetter &* (UInt8(ascii: "a") - UInt8(ascii: "0") - 10)
    }
}
