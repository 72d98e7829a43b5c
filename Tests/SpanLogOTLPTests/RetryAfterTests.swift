@testable import SpanLogOTLP
import Testing

/// `Retry-After` and gRPC `RetryInfo` come from outside: every field is range-checked, and a
/// value that fails is unusable (with the reason), never a trap.
@Suite("Retry-After parsing")
struct RetryAfterTests {
    /// 2026-10-21T07:28:00Z in nanoseconds since the epoch.
    static let now: UInt64 = 1_792_567_680 * 1_000_000_000

    @Test("delay-seconds and IMF-fixdates are read; a past date is no delay")
    func validValues() {
        #expect(RetryAfter.parse("120", now: Self.now) == .delay(.seconds(120)))
        #expect(RetryAfter.parse(" 0\t", now: Self.now) == .delay(.zero))
        #expect(RetryAfter.parse("2147483647", now: Self.now) == .delay(.seconds(2_147_483_647)))
        #expect(RetryAfter.parse("Wed, 21 Oct 2026 07:28:30 GMT", now: Self.now) == .delay(.seconds(30)))
        #expect(RetryAfter.parse("Thu, 22 Oct 2026 07:28:00 GMT", now: Self.now) == .delay(.seconds(86_400)))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: Self.now) == .delay(.zero))
        #expect(RetryAfter.parse("Fri, 31 Dec 9999 23:59:60 GMT", now: 0).duration != nil)
    }

    @Test("fields far out of range are unusable, not a trap", arguments: [
        "Sun, 06 Nov 99999999999999 08:49:37 GMT",     // year: the old arithmetic overflowed
        "Sun, 99999999999999999 Nov 2026 08:49:37 GMT", // day
        "Sun, 06 Nov 2026 99999999999999:49:37 GMT",    // hour
        "Sun, 06 Nov 2026 08:99999999999999:37 GMT",    // minute
        "Sun, 06 Nov 2026 08:49:99999999999999 GMT",    // second
        "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
        "Sun, 32 Nov 2026 08:49:37 GMT",
        "Sun, 06 Nov 2026 24:00:00 GMT",
        "Sun, 06 Nov 0000 08:49:37 GMT",
        "Sun, 06 Nov 2026 08:49:37 UTC",
        "Sun, 06 Foo 2026 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "99999999999999999999999",
        "2147483648",
        "-1",
        "+5",
        "1.5",
        "",
        "\u{9b}31m",
    ])
    func absurdValues(_ value: String) {
        guard case .unusable(let reason) = RetryAfter.parse(value, now: Self.now) else {
            Issue.record("\(value) was accepted")
            return
        }
        #expect(reason.hasPrefix("Retry-After \""))
    }

    @Test("gRPC RetryInfo delays outside 0 to 2³¹ − 1 s are unusable")
    func grpcDelays() {
        #expect(RetryAfter.grpcDelay(seconds: 1, nanos: 500_000_000) == .delay(.milliseconds(1500)))
        #expect(RetryAfter.grpcDelay(seconds: .max, nanos: 0).duration == nil)
        #expect(RetryAfter.grpcDelay(seconds: -1, nanos: 0).duration == nil)
        #expect(RetryAfter.grpcDelay(seconds: 0, nanos: -5).duration == nil)
        #expect(RetryAfter.grpcDelay(seconds: 0, nanos: 1_000_000_000).duration == nil)
    }

    @Test("a long value is shortened in the reason")
    func longValueShortened() {
        let value = String(repeating: "x", count: 10_000)
        guard case .unusable(let reason) = RetryAfter.parse(value, now: Self.now) else {
            Issue.record("accepted")
            return
        }
        #expect(reason.utf8.count < 300)
    }
}
