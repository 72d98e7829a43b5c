internal import SpanLogFormat

/// A time during which a file writer cannot write: since when, why, when to try again, and what
/// it has dropped so far. Retries back off from 25 ms, doubling after each failure, to 1 s.
///
/// Times are monotonic nanoseconds, except ``since`` (the wall clock, for the report).
///
/// ```swift
/// var outage = WriteOutage(error: "writing app-….jsonl.gz failed: …", since: .now(), now: monotonicNanoseconds())
/// outage.attemptFailed(now: monotonicNanoseconds())   // next attempt 50 ms later
/// ```
struct WriteOutage {
    /// The wait before the first retry.
    static let initialBackoff: UInt64 = 25_000_000
    /// The longest wait between retries.
    static let maximumBackoff: UInt64 = 1_000_000_000

    /// When the first failure happened, on the wall clock.
    let since: RecordTime
    /// When the first failure happened, on the monotonic clock.
    let sinceMonotonic: UInt64
    /// What the first failure was.
    let error: String
    /// When to try again.
    private(set) var nextAttempt: UInt64
    /// The wait that led to `nextAttempt`.
    private(set) var backoff: UInt64
    /// Records taken off the queue and dropped because the outage outlasted the blocking limit.
    var droppedRecords: UInt64 = 0
    /// Records the queue dropped (the `drop` policy) meanwhile, to report once writing works.
    var droppedByQueue: UInt64 = 0

    init(error: String, since: RecordTime, now: UInt64) {
        self.since = since
        self.sinceMonotonic = now
        self.error = error
        self.backoff = Self.initialBackoff
        self.nextAttempt = now &+ Self.initialBackoff
    }

    /// Another attempt failed at `now`: the next waits twice as long (at most
    /// ``maximumBackoff``).
    mutating func attemptFailed(now: UInt64) {
        self.backoff = min(self.backoff * 2, Self.maximumBackoff)
        self.nextAttempt = now &+ self.backoff
    }

    /// When an outage limit of `limit` nanoseconds ends: from then on callers are no longer held
    /// back and records are dropped.
    func limitEnds(after limit: UInt64) -> UInt64 {
        self.sinceMonotonic &+ limit
    }

    /// Nanoseconds as seconds with three decimals, e.g. "2.050".
    static func decimalSeconds(_ nanoseconds: UInt64) -> String {
        let millis = nanoseconds / 1_000_000
        let fraction = millis % 1000
        return "\(millis / 1000)." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + "\(fraction)"
    }
}
