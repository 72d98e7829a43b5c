#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One instance of `Value` per thread, made on first use and released when the thread exits:
/// for state the hot paths must not share or lock (encoding buffers, id generators).
final class ThreadLocalObject<Value: AnyObject>: @unchecked Sendable {
    private let key: pthread_key_t
    private let make: @Sendable () -> Value

    init(_ make: @escaping @Sendable () -> Value) {
        var key = pthread_key_t()
        let result = pthread_key_create(&key) { raw in
            #if canImport(Darwin)
            Unmanaged<AnyObject>.fromOpaque(raw).release()
            #else
            if let raw { Unmanaged<AnyObject>.fromOpaque(raw).release() }
            #endif
        }
        precondition(result == 0, "SpanLog could not create a thread-local key (\(result))")
        self.key = key
        self.make = make
    }

    /// This thread's instance.
    @inline(__always)
    var value: Value {
        if let raw = pthread_getspecific(self.key) {
            return Unmanaged<Value>.fromOpaque(raw).takeUnretainedValue()
        }
        let value = self.make()
        pthread_setspecific(self.key, Unmanaged.passRetained(value).toOpaque())
        return value
    }
}
