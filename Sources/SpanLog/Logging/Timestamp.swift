#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(30)
        self.appendRFC3339(to: &bytes, fractionDigits: 9)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.fffffffffZ` with `fractionDigits` (0...9) fractional digits.
    func appendRFC3339(to buffer: inout [UInt8], fractionDigits: Int) {
        let seconds = self.nanosecondsSinceEpoch / 1_000_000_000
        let nanos = self.nanosecondsSinceEpoch % 1_000_000_000
        let days = Int64(seconds / 86_400)
        let secondOfDay = Int(seconds % 86_400)
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(days)
        Self.appendDigits(Int(year), count: 4, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        Self.appendDigits(month, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        Self.appendDigits(day, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "T"))
        Self.appendDigits(secondOfDay / 3600, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        Self.appendDigits(secondOfDay / 60 % 60, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        Self.appendDigits(secondOfDay % 60, count: 2, to: &buffer)
        if fractionDigits > 0 {
            buffer.append(UInt8(ascii: "."))
            var divisor: UInt64 = 100_000_000
            for _ in 0..<min(fractionDigits, 9) {
                buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: nanos / divisor % 10))
                divisor /= 10
            }
        }
        buffer.append(UInt8(ascii: "Z"))
    }

    @inline(__always)
    static func appendDigits(_ value: Int, count: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor &*= 10 }
        var remaining = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining / divisor % 10))
            remaining %= divisor
            divisor /= 10
        }
    }
}

/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (H. Hinnant's algorithms).
enum CivilDate {
    static func fromDaysSinceEpoch(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func daysSinceEpoch(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
