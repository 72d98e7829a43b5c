#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Runs a body on several dedicated threads at once and waits for all of them.
///
/// Dispatch's `concurrentPerform` sizes its pool from the machine's active processors and, on a
/// busy two-core machine, was measured running both iterations on one thread; scanning wants its
/// threads regardless, so it gets plain pthreads.
enum ParallelWorkers {
    private final class Job: @unchecked Sendable {
        let body: @Sendable (Int) -> Void
        let index: Int
        init(body: @escaping @Sendable (Int) -> Void, index: Int) {
            self.body = body
            self.index = index
        }
    }

    /// Calls `body(0)` … `body(count - 1)`, each on its own thread (`body(0)` on the caller's).
    static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        var threads: [pthread_t] = []
        for index in 1..<count {
            let job = Unmanaged.passRetained(Job(body: body, index: index))
            var thread = pthread_t()
            let result = pthread_create(&thread, nil, { argument in
                let job = Unmanaged<Job>.fromOpaque(argument!).takeRetainedValue()
                job.body(job.index)
                return nil
            }, job.toOpaque())
            if result == 0 {
                threads.append(thread)
            } else {
                // No thread: do that share here.
                let job = job.takeRetainedValue()
                job.body(job.index)
            }
        }
        body(0)
        for thread in threads {
            pthread_join(thread, nil)
        }
    }
}
