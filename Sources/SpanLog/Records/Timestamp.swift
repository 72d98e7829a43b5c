#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogIndex

/// A wall-clock instant in nanoseconds since the Unix epoch (UTC).
///
/// Read once per record with `clock_gettime(CLOCK_REALTIME)`; written as RFC 3339 with nine
/// fractional digits, e.g. `2026-11-25T15:04:05.123456789Z`, without Foundation.
///
/// ```swift
/// let now = Timestamp.now()
/// print(now)  // 2026-11-25T15:04:05.123456789Z
/// ```
public struct Timestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: UInt64

    /// Creates a timestamp from nanoseconds since the Unix epoch.
    public init(nanosecondsSinceEpoch: UInt64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(
            nanosecondsSinceEpoch: UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
        )
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// RFC 3339, UTC, nanosecond precision.
    public var description: String {
        String(unsafeUninitializedCapacity: 32) { out in
            self.writeRFC3339(to: out.baseAddress!, fractionDigits: 9)
        }
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.fffffffffZ` with `fractionDigits` (0...9) fractional digits.
    func appendRFC3339(to buffer: inout RecordBuffer, fractionDigits: Int) {
        let seconds = self.nanosecondsSinceEpoch / 1_000_000_000
        guard fractionDigits == 9 else {
            buffer.appendInPlace(maximum: 32) { out in self.writeRFC3339(to: out, fractionDigits: fractionDigits) }
            return
        }
        // The buffer remembers the last second it wrote: most records share it with the previous one.
        if seconds != buffer.cachedSecond {
            _ = self.writeRFC3339(to: buffer.secondText, fractionDigits: 0, secondsOnly: true)
            buffer.cachedSecond = seconds
        }
        let prefix = buffer.secondText
        let nanos = Int(self.nanosecondsSinceEpoch % 1_000_000_000)
        buffer.appendInPlace(maximum: 30) { out in
            out.update(from: prefix, count: 19)
            out[19] = UInt8(ascii: ".")
            Self.writeDigits(nanos, count: 9, to: out + 20)
            out[29] = UInt8(ascii: "Z")
            return 30
        }
    }

    /// Writes the RFC 3339 form at `out` (at most 30 bytes); returns the byte count.
    @inline(__always)
    func writeRFC3339(to out: UnsafeMutablePointer<UInt8>, fractionDigits: Int, secondsOnly: Bool = false) -> Int {
        let seconds = self.nanosecondsSinceEpoch / 1_000_000_000
        let days = Int64(seconds / 86_400)
        let secondOfDay = Int(seconds % 86_400)
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(days)
        Self.writeDigits(Int(year), count: 4, to: out)
        out[4] = UInt8(ascii: "-")
        Self.writeDigits(month, count: 2, to: out + 5)
        out[7] = UInt8(ascii: "-")
        Self.writeDigits(day, count: 2, to: out + 8)
        out[10] = UInt8(ascii: "T")
        Self.writeDigits(secondOfDay / 3600, count: 2, to: out + 11)
        out[13] = UInt8(ascii: ":")
        Self.writeDigits(secondOfDay / 60 % 60, count: 2, to: out + 14)
        out[16] = UInt8(ascii: ":")
        Self.writeDigits(secondOfDay % 60, count: 2, to: out + 17)
        var count = 19
        if secondsOnly { return count }
        let digits = min(max(fractionDigits, 0), 9)
        if digits > 0 {
            out[19] = UInt8(ascii: ".")
            var nanos = Int(self.nanosecondsSinceEpoch % 1_000_000_000)
            for _ in digits..<9 { nanos /= 10 }
            Self.writeDigits(nanos, count: digits, to: out + 20)
            count = 20 + digits
        }
        out[count] = UInt8(ascii: "Z")
        return count + 1
    }

    /// Writes `value` as exactly `count` decimal digits (zero-padded; higher digits dropped).
    @inline(__always)
    static func writeDigits(_ value: Int, count: Int, to out: UnsafeMutablePointer<UInt8>) {
        var remaining = value
        var index = count - 1
        while index >= 0 {
            out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        }
    }
}
