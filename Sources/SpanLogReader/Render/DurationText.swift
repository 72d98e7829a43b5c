/// Short human durations for terminal and HTML output: `850ns`, `12.3µs`, `4.56ms`, `1.20s`, `3m05s`.
///
/// ```swift
/// DurationText.format(nanoseconds: 125_000_000)   // "125ms"
/// ```
package enum DurationText {
    /// Formats a duration given in nanoseconds with about three significant digits.
    package static func format(nanoseconds: Int64) -> String {
        let value = Double(nanoseconds)
        let magnitude = abs(value)
        if magnitude < 1_000 { return "\(nanoseconds)ns" }
        if magnitude < 1_000_000 { return Self.significant(value / 1_000) + "µs" }
        if magnitude < 1_000_000_000 { return Self.significant(value / 1_000_000) + "ms" }
        if magnitude < 60_000_000_000 { return Self.significant(value / 1_000_000_000) + "s" }
        let totalSeconds = nanoseconds / 1_000_000_000
        let minutes = totalSeconds / 60
        let seconds = totalSeconds % 60
        if minutes < 60 { return "\(minutes)m" + (seconds < 10 ? "0" : "") + "\(seconds)s" }
        let remainder = minutes % 60
        return "\(minutes / 60)h" + (remainder < 10 ? "0" : "") + "\(remainder)m"
    }

    /// `value` with three significant digits (at most two decimals), e.g. `4.56`, `12.3`, `125`.
    static func significant(_ value: Double) -> String {
        let decimals = abs(value) < 10 ? 2 : (abs(value) < 100 ? 1 : 0)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if decimals == 0 { return String(Int64(rounded)) }
        let whole = Int64(rounded)
        var fraction = String(Int64((abs(rounded - Double(whole)) * scale).rounded()))
        while fraction.count < decimals { fraction = "0" + fraction }
        return "\(whole).\(fraction)"
    }
}
