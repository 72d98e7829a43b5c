/// A `Duration` as whole nanoseconds for the monotonic clock and POSIX calls, saturating: a
/// negative duration is 0 and one past `UInt64.max` nanoseconds (584 years) is `UInt64.max`, so
/// no configured or computed duration can trap.
///
/// ```swift
/// Duration.milliseconds(1500).nanoseconds   // 1_500_000_000
/// Duration.seconds(Int64.max).nanoseconds   // UInt64.max
/// ```
extension Duration {
    /// Whole nanoseconds, saturating at 0 and `UInt64.max`.
    package var nanoseconds: UInt64 {
        let (seconds, attoseconds) = self.components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .max }
        let (total, carry) = whole.addingReportingOverflow(UInt64(max(attoseconds, 0) / 1_000_000_000))
        return carry ? .max : total
    }
}
