/// Random trace and span ids from a per-thread xoshiro256** generator, seeded once per thread
/// from the system generator: no system call per span (`SystemRandomNumberGenerator` is a
/// `getrandom` call on Linux).
enum IDGenerator {
    private final class State: @unchecked Sendable {
        var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

        init() {
            var system = SystemRandomNumberGenerator()
            repeat {
                self.s0 = system.next()
                self.s1 = system.next()
                self.s2 = system.next()
                self.s3 = system.next()
            } while self.s0 | self.s1 | self.s2 | self.s3 == 0
        }

        @inline(__always)
        func next() -> UInt64 {
            let result = rotateLeft(self.s1 &* 5, 7) &* 9
            let t = self.s1 << 17
            self.s2 ^= self.s0
            self.s3 ^= self.s1
            self.s1 ^= self.s2
            self.s0 ^= self.s3
            self.s2 ^= t
            self.s3 = rotateLeft(self.s3, 45)
            return result
        }
    }

    @inline(__always)
    private static func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }

    private static let perThread = ThreadLocalObject { State() }

    @inline(__always)
    private static var state: State { Self.perThread.value }

    /// A random, valid (non-zero) trace id.
    static func traceID() -> TraceID {
        let state = Self.state
        var id = TraceID(high: state.next(), low: state.next())
        while !id.isValid { id = TraceID(high: state.next(), low: state.next()) }
        return id
    }

    /// A random, valid (non-zero) span id.
    static func spanID() -> SpanID {
        let state = Self.state
        var value = state.next()
        while value == 0 { value = state.next() }
        return SpanID(rawValue: value)
    }
}
