#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The two clocks the in-process benchmark reads.
enum BenchClock {
    static func monotonicNanoseconds() -> Int64 {
        let (seconds, attoseconds) = ContinuousClock.now.duration(to: Self.origin).components
        return -(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// CPU time of the whole process (every thread), from C's `clock()` (microsecond steps).
    static func processCPUNanoseconds() -> Int64 {
        Int64(clock()) * (1_000_000_000 / Int64(CLOCKS_PER_SEC))
    }

    private static let origin = ContinuousClock.now
}
