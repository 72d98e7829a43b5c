#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable OS thread that runs one closure: the writer thread a sink owns. Task-locals do not
/// reach it; everything it needs travels in the bytes handed to it.
final class WriterThread: @unchecked Sendable {
    private var thread: pthread_t? = nil

    private final class Body {
        let name: String
        let run: () -> Void
        init(name: String, run: @escaping () -> Void) {
            self.name = name
            self.run = run
        }
    }

    init(name: String, _ run: @escaping @Sendable () -> Void) {
        let body = Unmanaged.passRetained(Body(name: name, run: run)).toOpaque()
        #if canImport(Darwin)
        var handle: pthread_t? = nil
        #else
        var handle = pthread_t()
        #endif
        let result = pthread_create(
            &handle, nil,
            { raw in
                #if canImport(Darwin)
                let body = Unmanaged<Body>.fromOpaque(raw).takeRetainedValue()
                #else
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                #endif
                body.run()
                return nil
            }, body)
        precondition(result == 0, "SpanLog could not start its writer thread (pthread_create: \(result))")
        self.thread = handle
    }

    /// Waits for the closure to return. Call once.
    func join() {
        guard let thread = self.thread else { return }
        self.thread = nil
        pthread_join(thread, nil)
    }
}
