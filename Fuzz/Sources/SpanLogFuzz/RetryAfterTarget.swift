@testable import SpanLogOTLP

/// HTTP `Retry-After` (`SpanLogOTLP/RetryAfter`): the input is the header value, parsed at four
/// "now" times (the epoch, December 2026, the last Int64 nanosecond in 2262, and UInt64's
/// end); a delay it gives must not be negative.
enum RetryAfterTarget {
    static let nowTimes: [UInt64] = [0, 1_796_205_600_000_000_000, UInt64(Int64.max), UInt64.max]

    static func run(_ input: UnsafeRawBufferPointer) {
        let value = input.text
        for now in self.nowTimes {
            if let delay = self.delay(of: RetryAfter.parse(value, now: now) as Any) {
                require(delay >= .zero, "Retry-After \(value.debugDescription) at \(now) gave a negative delay \(delay)")
            }
        }
    }

    /// The delay in a parse result, whether `parse` returns `Duration?` or an enum whose
    /// delay case carries it (the type is being reworked under issue 15).
    static func delay(of result: Any) -> Duration? {
        if let duration = result as? Duration { return duration }
        return Mirror(reflecting: result).children.first?.value as? Duration
    }
}
