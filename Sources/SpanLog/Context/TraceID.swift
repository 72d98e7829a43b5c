/// A W3C trace id: 16 bytes, never all zero when valid, written as 32 lowercase hex digits.
///
/// ```swift
/// let id = TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!
/// print(id)          // 4bf92f3577b34da6a3ce929d0e0e4736
/// print(id.isValid)  // true
/// ```
public struct TraceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first eight bytes, big-endian.
    public var high: UInt64
    /// The last eight bytes, big-endian.
    public var low: UInt64

    /// Creates a trace id from its two big-endian halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses 32 lowercase hex digits, as W3C Trace Context writes them; `nil` for anything else.
    public init?(hex: some StringProtocol) {
        var utf8 = Array(hex.utf8)
        guard utf8.count == 32,
            let high = HexDigits.parseUInt64(&utf8, from: 0),
            let low = HexDigits.parseUInt64(&utf8, from: 16)
        else { return nil }
        self.init(high: high, low: low)
    }

    /// The invalid all-zero id.
    public static let invalid = TraceID(high: 0, low: 0)

    /// `false` for the all-zero id, which W3C Trace Context forbids.
    public var isValid: Bool { self.high != 0 || self.low != 0 }

    /// 32 lowercase hex digits.
    public var description: String {
        String(unsafeUninitializedCapacity: 32) { out in
            HexDigits.write(self.high, to: out.baseAddress!)
            HexDigits.write(self.low, to: out.baseAddress! + 16)
            return 32
        }
    }

    /// The 16 bytes in wire order (big-endian), as OTLP and W3C carry them.
    public var bytes: [UInt8] {
        var result = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            result[index] = UInt8(truncatingIfNeeded: self.high >> (56 - 8 * UInt64(index)))
            result[8 + index] = UInt8(truncatingIfNeeded: self.low >> (56 - 8 * UInt64(index)))
        }
        return result
    }

    func appendHex(to buffer: inout RecordBuffer) {
        buffer.appendInPlace(maximum: 32) { out in
            HexDigits.write(self.high, to: out)
            HexDigits.write(self.low, to: out + 16)
            return 32
        }
    }

    public static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

/// A W3C span id (parent id): 8 bytes, never all zero when valid, written as 16 lowercase hex digits.
///
/// ```swift
/// let id = SpanID(hex: "00f067aa0ba902b7")!
/// print(id.rawValue)  // 67667974448284343
/// ```
public struct SpanID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The eight bytes as one big-endian integer.
    public var rawValue: UInt64

    /// Creates a span id from its big-endian integer value.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses 16 lowercase hex digits; `nil` for anything else.
    public init?(hex: some StringProtocol) {
        var utf8 = Array(hex.utf8)
        guard utf8.count == 16, let value = HexDigits.parseUInt64(&utf8, from: 0) else { return nil }
        self.rawValue = value
    }

    /// The invalid all-zero id.
    public static let invalid = SpanID(rawValue: 0)

    /// `false` for the all-zero id, which W3C Trace Context forbids.
    public var isValid: Bool { self.rawValue != 0 }

    /// 16 lowercase hex digits.
    public var description: String {
        String(unsafeUninitializedCapacity: 16) { out in
            HexDigits.write(self.rawValue, to: out.baseAddress!)
            return 16
        }
    }

    /// The 8 bytes in wire order (big-endian).
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: self.rawValue >> (56 - 8 * UInt64($0))) }
    }

    func appendHex(to buffer: inout RecordBuffer) {
        HexDigits.append(self.rawValue, to: &buffer)
    }

    public static func < (lhs: SpanID, rhs: SpanID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The W3C trace flags byte: `sampled`, and Trace Context Level 2's `random` (the trace id's
/// right-most 7 bytes are random). Other bits are zeroed when a `traceparent` is read.
///
/// ```swift
/// var flags: TraceFlags = []
/// flags.insert(.sampled)
/// print(flags.rawValue)  // 1
/// ```
public struct TraceFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The trace was sampled upstream (or here): its spans are exported.
    public static let sampled = TraceFlags(rawValue: 0x01)
    /// The trace id was made at random (W3C Trace Context Level 2): set on the traces SpanLog
    /// starts, kept on traces it continues.
    public static let random = TraceFlags(rawValue: 0x02)
}

enum HexDigits {

    static func append(_ value: UInt64, to buffer: inout RecordBuffer) {
        buffer.appendInPlace(maximum: 16) { out in
            Self.write(value, to: out)
            return 16
        }
    }

    /// Writes 16 lowercase hex digits of `value` at `out`.
    @inline(__always)
    static func write(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) {
        for index in 0..<16 {
            out[index] = Self.digit(UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0xF)
        }
    }

    /// The lowercase hex digit of a nibble, without a branch: random ids make a branch on
    /// "letter or digit" mispredict often.
    @inline(__always)
    static func digit(_ nibble: UInt8) -> UInt8 {
        // 1 when the nibble is 10...15 (9 - nibble wraps around and sets the top bit).
        let isLetter = (9 &- nibble) >> 7
        return UInt8(ascii: "0") &+ nibble &+ isLetter &* (UInt8(ascii: "a") - UInt8(ascii: "0") - 10)
    }

    static func append(byte: UInt8, to buffer: inout RecordBuffer) {
        buffer.appendInPlace(maximum: 2) { out in
            Self.write(byte: byte, to: out)
            return 2
        }
    }

    @inline(__always)
    static func write(byte: UInt8, to out: UnsafeMutablePointer<UInt8>) {
        out[0] = Self.digit(byte >> 4)
        out[1] = Self.digit(byte & 0xF)
    }

    /// Lowercase hex only (W3C); returns nil on any other byte.
    static func parseUInt64(_ utf8: inout [UInt8], from start: Int) -> UInt64? {
        var value: UInt64 = 0
        for index in start..<(start + 16) {
            guard let nibble = Self.nibble(utf8[index]) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        default: return nil
        }
    }
}
