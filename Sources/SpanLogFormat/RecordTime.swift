// Public so that `now()` can be inlined into the caller (one clock read per record).
#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#elseif canImport(Darwin)
public import Darwin
#endif

/// A wall-clock instant as nanoseconds since the Unix epoch, UTC: the time of every record
/// SpanLog writes and reads (`timestamp`, a span's `start` and `end`), and of rotated file names.
///
/// Written as RFC 3339 with nine fractional digits (`2026-11-25T15:04:05.123456789Z`), without
/// Foundation. Nanoseconds in an `Int64` cover 1677-09-21 to 2262-04-11: a time outside that
/// range — a foreign line stamped `0001-01-01T00:00:00Z`, a span ended far in the future —
/// saturates at the nearest end instead of trapping.
///
/// ```swift
/// let now = RecordTime.now()
/// print(now)                                                 // 2026-11-25T15:04:05.123456789Z
/// let parsed = RecordTime(rfc3339: "2026-11-25T15:04:05+01:00")
/// let fifteenMinutesAgo = now - RecordTime.minutes(15)
/// ```
public struct RecordTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z (negative before it).
    public var nanosecondsSinceEpoch: Int64

    /// Creates a time from nanoseconds since the Unix epoch.
    @inlinable
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// Creates a time from unsigned nanoseconds since the epoch (swift-distributed-tracing's
    /// clock), saturating at the latest representable time (2262-04-11).
    @inlinable
    public init(clampingNanosecondsSinceEpoch nanoseconds: UInt64) {
        self.nanosecondsSinceEpoch = Int64(clamping: nanoseconds)
    }

    /// The earliest representable time (1677-09-21T00:12:43.145224192Z).
    @inlinable public static var earliest: RecordTime { RecordTime(nanosecondsSinceEpoch: .min) }
    /// The latest representable time (2262-04-11T23:47:16.854775807Z).
    @inlinable public static var latest: RecordTime { RecordTime(nanosecondsSinceEpoch: .max) }

    /// The current wall-clock time, read once with `clock_gettime(CLOCK_REALTIME)`.
    @inlinable
    public static func now() -> RecordTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        // A clock past 2262 saturates, like every other time.
        let (scaled, overflow) = Int64(spec.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (spec.tv_sec < 0 ? .earliest : .latest) : RecordTime(nanosecondsSinceEpoch: scaled &+ Int64(spec.tv_nsec))
    }

    /// Nanoseconds since the epoch as an unsigned count (OTLP's `fixed64` times): 0 before 1970.
    @inlinable
    public var unsignedNanosecondsSinceEpoch: UInt64 { UInt64(clamping: self.nanosecondsSinceEpoch) }

    /// `value` seconds in nanoseconds, saturating.
    public static func seconds(_ value: Int64) -> Int64 { Self.saturatingProduct(value, 1_000_000_000) }
    /// `value` minutes in nanoseconds, saturating.
    public static func minutes(_ value: Int64) -> Int64 { Self.saturatingProduct(value, 60_000_000_000) }

    private static func saturatingProduct(_ value: Int64, _ scale: Int64) -> Int64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? (value < 0 ? .min : .max) : product
    }

    public static func < (lhs: RecordTime, rhs: RecordTime) -> Bool { lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch }
    /// `nanoseconds` earlier, saturating at ``earliest``.
    public static func - (lhs: RecordTime, rhs: Int64) -> RecordTime {
        let (difference, overflow) = lhs.nanosecondsSinceEpoch.subtractingReportingOverflow(rhs)
        return RecordTime(nanosecondsSinceEpoch: overflow ? (rhs > 0 ? .min : .max) : difference)
    }
    /// `nanoseconds` later, saturating at ``latest``.
    public static func + (lhs: RecordTime, rhs: Int64) -> RecordTime {
        let (sum, overflow) = lhs.nanosecondsSinceEpoch.addingReportingOverflow(rhs)
        return RecordTime(nanosecondsSinceEpoch: overflow ? (rhs > 0 ? .max : .min) : sum)
    }

    /// Nanoseconds from `start` to `self`, 0 when `self` is earlier; saturating.
    @inlinable
    public func nanoseconds(since start: RecordTime) -> UInt64 {
        guard self.nanosecondsSinceEpoch > start.nanosecondsSinceEpoch else { return 0 }
        return UInt64(bitPattern: self.nanosecondsSinceEpoch &- start.nanosecondsSinceEpoch)
    }

    /// Nanoseconds from `start` to `self`, negative when `self` is earlier; saturating at the
    /// ends of `Int64` (two far times can be further apart than it holds).
    @inlinable
    public func signedNanoseconds(since start: RecordTime) -> Int64 {
        let (difference, overflow) = self.nanosecondsSinceEpoch.subtractingReportingOverflow(start.nanosecondsSinceEpoch)
        return overflow ? (self.nanosecondsSinceEpoch > start.nanosecondsSinceEpoch ? .max : .min) : difference
    }

    // MARK: Reading

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space instead
    /// of `T` are accepted; fractions beyond nanoseconds are cut; times outside the range saturate.
    public init?(rfc3339 text: String) {
        var text = text
        guard let value = text.withUTF8({ RecordTime.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = value
    }

    /// Parses what ``init(rfc3339:)`` accepts, from bytes.
    package static func parse(_ bytes: UnsafeRawBufferPointer) -> RecordTime? {
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
            guard let offsetHours = digits(2), expect([0x3A]), let offsetMinutes = digits(2),
                  offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        return Self.saturating(year: year, month: month, day: day, secondOfDay: hour * 3600 + minute * 60 + second - offsetSeconds, fraction: fraction)
    }

    /// Reads the fixed-width form SpanLog writes (`2026-11-25T15:04:05.123456789Z`, exactly
    /// ``fixedWidth`` bytes at `text`) as nanoseconds since the epoch; nil for anything else.
    package static func fixedWidthNanoseconds(at text: UnsafeRawPointer) -> Int64? {
        func digits(_ offset: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for index in offset..<(offset + count) {
                let byte = text.load(fromByteOffset: index, as: UInt8.self)
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ offset: Int) -> UInt8 { text.load(fromByteOffset: offset, as: UInt8.self) }
        guard byte(4) == UInt8(ascii: "-"), byte(7) == UInt8(ascii: "-"), byte(10) == UInt8(ascii: "T"),
              byte(13) == UInt8(ascii: ":"), byte(16) == UInt8(ascii: ":"), byte(19) == UInt8(ascii: "."),
              byte(29) == UInt8(ascii: "Z"),
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              let fraction = digits(20, 9),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        return Self.saturating(year: year, month: month, day: day, secondOfDay: hour * 3600 + minute * 60 + second, fraction: fraction)
            .nanosecondsSinceEpoch
    }

    /// Bytes of the fixed-width form.
    package static let fixedWidth = 30

    /// The time of a civil date (year 0...9999) plus seconds and nanoseconds, saturating.
    package static func saturating(year: Int64, month: Int64, day: Int64, secondOfDay: Int64, fraction: Int64) -> RecordTime {
        // |days| ≤ 3.7e6 and |seconds| ≤ 3.2e11 for four-digit years: only the last step can overflow.
        let days = CivilDate.daysSinceEpoch(year: year, month: Int(month), day: Int(day))
        let seconds = days * 86_400 + secondOfDay
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflowAgain) = scaled.addingReportingOverflow(fraction)
        if overflow || overflowAgain { return seconds < 0 ? .earliest : .latest }
        return RecordTime(nanosecondsSinceEpoch: total)
    }

    // MARK: Writing

    /// The time as RFC 3339 UTC with nine fractional digits, as SpanLog writes it.
    public var rfc3339: String {
        String(unsafeUninitializedCapacity: Self.fixedWidth) { out in
            self.writeRFC3339(to: out.baseAddress!, fractionDigits: 9)
        }
    }

    public var description: String { self.rfc3339 }

    /// Whole seconds since the epoch and the nanoseconds within the second (0...999,999,999),
    /// rounding towards the past for times before 1970.
    @inlinable
    package var secondsAndFraction: (seconds: Int64, nanoseconds: Int) {
        let seconds = self.nanosecondsSinceEpoch / 1_000_000_000
        let fraction = self.nanosecondsSinceEpoch % 1_000_000_000
        return fraction < 0 ? (seconds - 1, Int(fraction + 1_000_000_000)) : (seconds, Int(fraction))
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS[.f…]Z` with `fractionDigits` (0...9) fractional digits at
    /// `out` (at most 30 bytes), or only `YYYY-MM-DDTHH:MM:SS` when `secondsOnly`; returns the
    /// byte count.
    @inlinable
    package func writeRFC3339(to out: UnsafeMutablePointer<UInt8>, fractionDigits: Int, secondsOnly: Bool = false) -> Int {
        let (seconds, nanoseconds) = self.secondsAndFraction
        var days = seconds / 86_400
        var secondOfDay = Int(seconds % 86_400)
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
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
            var fraction = nanoseconds
            for _ in digits..<9 { fraction /= 10 }
            Self.writeDigits(fraction, count: digits, to: out + 20)
            count = 20 + digits
        }
        out[count] = UInt8(ascii: "Z")
        return count + 1
    }

    /// Writes `value` as exactly `count` decimal digits (zero-padded; higher digits dropped).
    @inlinable
    package static func writeDigits(_ value: Int, count: Int, to out: UnsafeMutablePointer<UInt8>) {
        var remaining = value
        var index = count - 1
        while index >= 0 {
            out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        }
    }

    // MARK: Command-line bounds

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

    /// Parses `<integer><unit>` with unit `ms`, `s`, `m`, `h`, `d` or `w` into nanoseconds; nil
    /// when it does not fit.
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
