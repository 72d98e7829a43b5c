#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import SpanLogIndex

/// A point in time as nanoseconds since the Unix epoch, UTC: what the reader sorts and filters
/// records by.
///
/// ```swift
/// let time = RecordTime(rfc3339: "2026-11-25T15:04:05.123456789Z")!
/// time.rfc3339            // "2026-11-25T15:04:05.123456789Z"
/// RecordTime.now() - .minutes(15)
/// ```
public struct RecordTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanoseconds: Int64

    /// Creates a time from nanoseconds since the epoch.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The current wall-clock time.
    public static func now() -> RecordTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return RecordTime(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    /// A span of time in nanoseconds.
    public static func seconds(_ value: Int64) -> Int64 { value * 1_000_000_000 }
    /// A span of time in nanoseconds.
    public static func minutes(_ value: Int64) -> Int64 { value * 60_000_000_000 }

    public static func < (lhs: RecordTime, rhs: RecordTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    public static func - (lhs: RecordTime, rhs: Int64) -> RecordTime { RecordTime(nanoseconds: lhs.nanoseconds - rhs) }
    public static func + (lhs: RecordTime, rhs: Int64) -> RecordTime { RecordTime(nanoseconds: lhs.nanoseconds + rhs) }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space instead
    /// of `T` are accepted; fractions beyond nanoseconds are cut.
    public init?(rfc3339 text: String) {
        var text = text
        guard let value = text.withUTF8({ RecordTime.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = value
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) -> RecordTime? {
        var index = 0
        func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
                index += 1
            }
            return value
        }
        func expect(_ set: [UInt8]) -> Bool {
            guard index < bytes.count, set.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect([0x2D]), let month = digits(2), expect([0x2D]), let day = digits(2),
              expect([UInt8(ascii: "T"), UInt8(ascii: "t"), 0x20]),
              let hour = digits(2), expect([0x3A]), let minute = digits(2), expect([0x3A]), let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100_000_000
            var count = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Int64(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
                count += 1
            }
            guard count > 0 else { return nil }
        }
        var offsetSeconds: Int64 = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            index += 1
            guard let offsetHours = digits(2), expect([0x3A]), let offsetMinutes = digits(2) else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return RecordTime(nanoseconds: seconds * 1_000_000_000 + fraction)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        CivilDate.daysSinceEpoch(year: year, month: Int(month), day: Int(day))
    }

    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(days)
        return (year, Int64(month), Int64(day))
    }

    /// The time as RFC 3339 UTC with nine fractional digits, as SpanLog writes it.
    public var rfc3339: String {
        var seconds = self.nanoseconds / 1_000_000_000
        var fraction = self.nanoseconds % 1_000_000_000
        if fraction < 0 {
            fraction += 1_000_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = Self.civilFromDays(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 9))Z"
    }

    public var description: String { self.rfc3339 }

    /// Parses a time bound as the command line takes it: RFC 3339, or a relative duration before
    /// `now` such as `90s`, `15m`, `2h`, `1d` (also `500ms`, `1w`).
    ///
    /// ```swift
    /// RecordTime(bound: "15m")                          // 15 minutes ago
    /// RecordTime(bound: "2026-11-25T15:00:00Z")
    /// ```
    public init?(bound text: String, now: RecordTime = .now()) {
        if let absolute = RecordTime(rfc3339: text) {
            self = absolute
            return
        }
        guard let duration = Self.parseDuration(text) else { return nil }
        self = now - duration
    }

    /// Parses `<integer><unit>` with unit `ms`, `s`, `m`, `h`, `d` or `w` into nanoseconds.
    public static func parseDuration(_ text: String) -> Int64? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count)
        guard !digits.isEmpty, let amount = Int64(digits) else { return nil }
        let scale: Int64
        switch unit {
        case "ms": scale = 1_000_000
        case "s": scale = 1_000_000_000
        case "m": scale = 60_000_000_000
        case "h": scale = 3_600_000_000_000
        case "d": scale = 86_400_000_000_000
        case "w": scale = 604_800_000_000_000
        default: return nil
        }
        let (product, overflow) = amount.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }
}
