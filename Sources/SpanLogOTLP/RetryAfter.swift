import SpanLog

/// Parses an HTTP `Retry-After` value: delay-seconds (`120`) or an IMF-fixdate
/// (`Wed, 21 Oct 2026 07:28:00 GMT`), the latter relative to `now` (nanoseconds since the epoch).
///
/// ```swift
/// RetryAfter.parse("2", now: 0)  // .seconds(2)
/// ```
enum RetryAfter {
    static func parse(_ value: String, now: UInt64) -> Duration? {
        let text = value.trimmingASCIIWhitespace()
        if let seconds = Int(text) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT",
            let day = Int(parts[1]),
            let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        let days = daysSinceEpoch(year: year, month: month + 1, day: day)
        let seconds = days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
        let nowSeconds = Int(now / 1_000_000_000)
        return .seconds(max(0, seconds - nowSeconds))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
