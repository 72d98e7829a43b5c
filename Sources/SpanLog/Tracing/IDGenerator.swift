/// Random trace and span ids from a per-thread xoshiro256** generator, seeded once per thread
/// from the system generator: no system call per span (`SystemRandomNumberGenerator` is a
/// `getrandom` call on Linux).
enum IDGenerator {
    /// The generator's four words. They live behind a pointer rather than in stored `var`s,
    /// which Swift would check for exclusive access on every draw.
    private final class State: @unchecked Sendable {
        private let words: UnsafeMutablePointer<UInt64>

        init() {
            self.words = .allocate(capacity: 4)
            var system = SystemRandomNumberGenerator()
            repeat {
                for index in 0..<4 { self.words[index] = system.next() }
            } while self.words[0] | self.words[1] | self.words[2] | self.words[3] == 0
        }

        deinit {
            self.words.deallocate()
        }

        @inline(__always)
        func next() -> UInt64 {
            let s = self.words
            let result = rotateLeft(s[1] &* 5, 7) &* 9
            let t = s[1] << 17
            s[2] ^= s[0]
            s[3] ^= s[1]
            s[1] ^= s[2]
            s[0] ^= s[3]
            s[2] ^= t
            s[3] = rotateLeft(s[3], 45)
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

    /// A random word from this thread's generator (the metrics' exemplar reservoirs draw from it).
    @inline(__always)
    static func next() -> UInt64 {
        Self.state.next()
    }

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
