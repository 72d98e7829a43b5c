/// When and how often a failed export is tried again: exponential backoff with jitter, on
/// HTTP 429, 502, 503 and 504, gRPC `UNAVAILABLE` and `RESOURCE_EXHAUSTED`, and connection
/// failures. A server's `Retry-After` (gRPC: `RetryInfo`) replaces the computed delay. Retries never run past the
/// export's timeout: a delay that would end after it fails the batch instead.
///
/// ```swift
/// let policy = OTLPRetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(100))
/// ```
public struct OTLPRetryPolicy: Sendable, Hashable {
    /// Attempts per batch, the first included.
    public var maxAttempts: Int
    /// The delay before the second attempt (before jitter).
    public var initialBackoff: Duration
    /// The longest computed delay (before jitter).
    public var maxBackoff: Duration
    /// How much each delay grows.
    public var multiplier: Double

    /// Creates a policy; the defaults are 5 attempts, 200 ms growing ×2 up to 5 s.
    public init(maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(5), multiplier: Double = 2) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = max(1, multiplier)
    }

    /// No retries.
    public static let none = OTLPRetryPolicy(maxAttempts: 1)

    /// The delay after failed attempt `attempt` (1-based): `initial × multiplier^(attempt−1)`,
    /// capped, then scaled by a random factor in [0.5, 1] ("equal jitter").
    public func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0.5...1)) -> Duration {
        let initial = Double(self.initialBackoff.components.seconds) + Double(self.initialBackoff.components.attoseconds) / 1e18
        let cap = Double(self.maxBackoff.components.seconds) + Double(self.maxBackoff.components.attoseconds) / 1e18
        var seconds = initial
        for _ in 1..<max(1, attempt) {
            seconds *= self.multiplier
            if seconds >= cap { break }
        }
        seconds = min(seconds, cap) * min(max(random, 0), 1)
        return .nanoseconds(Int64(seconds * 1e9))
    }
}
