import SpanLog
import SpanLogFormat

/// A collector's "try again later" delay: HTTP `Retry-After` (delay-seconds such as `120`, or
/// an IMF-fixdate such as `Wed, 21 Oct 2026 07:28:00 GMT`, relative to now) or gRPC's
/// `RetryInfo.retry_delay`.
///
/// The value comes from outside, so every field is range-checked before anything computes with
/// it: a value that fails is ``unusable(_:)`` with the reason, and the exporter then ignores
/// it (using its own backoff), counts it and reports it at most once per report interval.
///
/// ```swift
/// RetryAfter.parse("2", now: 0)                                   // .delay(.seconds(2))
/// RetryAfter.parse("Sun, 06 Nov 99999 08:49:37 GMT", now: 0)      // .unusable("… year …")
/// ```
enum RetryAfter: Sendable, Equatable {
    /// A delay the exporter may wait before its next attempt.
    case delay(Duration)
    /// A value that is not a delay this exporter accepts, and why.
    case unusable(String)

    /// The longest delay-seconds accepted (2³¹ − 1 s, about 68 years: what HTTP caches are told
    /// to assume as the largest delta-seconds). A longer wait is past any export timeout anyway.
    static let maximumSeconds: Int64 = 2_147_483_647

    /// The delay, when it is usable.
    var duration: Duration? {
        if case .delay(let duration) = self { return duration }
        return nil
    }

    /// Parses an HTTP `Retry-After` value; `now` is nanoseconds since the epoch (a date in the
    /// past means "now": a zero delay).
    static func parse(_ value: String, now: UInt64) -> RetryAfter {
        let text = value.trimmingASCIIWhitespace()
        let shown = text.count > 64 ? String(text.prefix(64)) + "…" : text
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = decimal(Substring(text), digits: 1...10), seconds <= maximumSeconds else {
                return .unusable("Retry-After \"\(shown)\" is not a number of seconds from 0 to \(maximumSeconds)")
            }
            return .delay(.seconds(seconds))
        }
        switch secondsSinceEpoch(imfFixdate: text) {
        case .failure(let problem):
            return .unusable("Retry-After \"\(shown)\" is neither delay-seconds nor an HTTP date (\(problem.reason))")
        case .success(let seconds):
            // Both sides are bounded (years 0001–9999, now ≤ 2⁶⁴ ns ≈ year 2554): no overflow.
            let nowSeconds = Int64(now / 1_000_000_000)
            return .delay(.seconds(max(0, seconds - nowSeconds)))
        }
    }

    /// Checks gRPC's `RetryInfo.retry_delay` (seconds and nanos as the collector sent them).
    static func grpcDelay(seconds: Int64, nanos: Int64) -> RetryAfter {
        guard (0...maximumSeconds).contains(seconds), (0...999_999_999).contains(nanos) else {
            return .unusable("gRPC RetryInfo delay of \(seconds) s and \(nanos) ns is outside 0 to \(maximumSeconds) s")
        }
        return .delay(.seconds(seconds) + .nanoseconds(nanos))
    }

    private struct DateProblem: Error {
        let reason: String
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// IMF-fixdate (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`, every field checked.
    private static func secondsSinceEpoch(imfFixdate text: String) -> Result<Int64, DateProblem> {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), dayNames.contains(String(parts[0].dropLast())),
            parts[5] == "GMT"
        else {
            return .failure(DateProblem(reason: "expected the form \"Sun, 06 Nov 1994 08:49:37 GMT\""))
        }
        guard let day = decimal(parts[1], digits: 2...2), (1...31).contains(day) else {
            return .failure(DateProblem(reason: "day \"\(parts[1].prefix(8))\" is not 01 to 31"))
        }
        guard let monthIndex = monthNames.firstIndex(of: String(parts[2])) else {
            return .failure(DateProblem(reason: "month \"\(parts[2].prefix(8))\" is not Jan to Dec"))
        }
        guard let year = decimal(parts[3], digits: 4...4), year >= 1 else {
            return .failure(DateProblem(reason: "year \"\(parts[3].prefix(8))\" is not 0001 to 9999"))
        }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3,
            let hour = decimal(clock[0], digits: 2...2), hour <= 23,
            let minute = decimal(clock[1], digits: 2...2), minute <= 59,
            let second = decimal(clock[2], digits: 2...2), second <= 60
        else {
            return .failure(DateProblem(reason: "time \"\(parts[4].prefix(12))\" is not 00:00:00 to 23:59:60"))
        }
        let days = CivilDate.daysSinceEpoch(year: year, month: monthIndex + 1, day: Int(day))
        return .success(days * 86_400 + hour * 3600 + minute * 60 + second)
    }

    /// A decimal number of `digits` ASCII digits, nothing else; `nil` otherwise.
    private static func decimal(_ text: Substring, digits: ClosedRange<Int>) -> Int64? {
        guard digits.contains(text.utf8.count) else { return nil }
        var value: Int64 = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
