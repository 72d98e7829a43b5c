#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable OS thread that runs one closure: the writer thread a sink owns. Task-locals do not
/// reach it; everything it needs travels in the bytes handed to it.
///
/// The thread blocks `SIGPIPE`: a write to a pipe whose reader has gone fails with `EPIPE` (an
/// outage the sink counts) instead of killing the process. ``join(timeout:)`` waits a bounded
/// time, so a thread stuck in a system call (a stalled pipe, a hung NFS mount) cannot hold up
/// shutdown.
///
/// ```swift
/// let writer = WriterThread(name: "spanlog-console") { drainQueue() }
/// if !writer.join(timeout: 2_000_000_000) { print("writer still busy; left behind") }
/// ```
final class WriterThread: @unchecked Sendable {
    private var thread: pthread_t? = nil
    private let finished: Finished

    /// Set by the thread when its closure returns.
    private final class Finished: @unchecked Sendable {
        let lock = ConditionLock()
        var done = false  // guarded by lock
    }

    private final class Body {
        let name: String
        let run: () -> Void
        let finished: Finished
        init(name: String, run: @escaping () -> Void, finished: Finished) {
            self.name = name
            self.run = run
            self.finished = finished
        }
    }

    init(name: String, _ run: @escaping @Sendable () -> Void) {
        let finished = Finished()
        self.finished = finished
        let body = Unmanaged.passRetained(Body(name: name, run: run, finished: finished)).toOpaque()
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
                WriterThread.blockBrokenPipeSignal()
                body.run()
                body.finished.lock.withLock {
                    body.finished.done = true
                    body.finished.lock.broadcast()
                }
                return nil
            }, body)
        precondition(result == 0, "SpanLog could not start its writer thread (pthread_create: \(result))")
        self.thread = handle
    }

    /// Waits for the closure to return. Call once (this or ``join(timeout:)``).
    func join() {
        guard let thread = self.thread else { return }
        self.thread = nil
        pthread_join(thread, nil)
    }

    /// Waits at most `timeout` nanoseconds for the closure to return; if it has not, the thread
    /// is detached (it ends by itself whenever its system call returns) and the answer is
    /// `false`. Call once (this or ``join()``).
    @discardableResult
    func join(timeout: UInt64) -> Bool {
        let (sum, overflow) = monotonicNanoseconds().addingReportingOverflow(timeout)
        return self.join(untilMonotonic: overflow ? .max : sum)
    }

    /// Like ``join(timeout:)``, waiting until the monotonic `deadline` (nanoseconds).
    @discardableResult
    func join(untilMonotonic deadline: UInt64) -> Bool {
        guard let thread = self.thread else { return true }
        self.thread = nil
        let done = self.finished.lock.withLock { () -> Bool in
            while !self.finished.done {
                guard monotonicNanoseconds() < deadline else { return false }
                self.finished.lock.wait(untilMonotonic: deadline)
            }
            return true
        }
        if done { pthread_join(thread, nil) } else { pthread_detach(thread) }
        return done
    }

    /// Blocks `SIGPIPE` for the calling thread, so `write(2)` to a broken pipe returns `EPIPE`.
    static func blockBrokenPipeSignal() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    /// Discards a `SIGPIPE` left pending for this thread by a failed write (with the signal
    /// blocked), so it is never delivered later.
    static func discardPendingBrokenPipeSignal() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        var pending = sigset_t()
        sigpending(&pending)
        guard sigismember(&pending, SIGPIPE) == 1 else { return }
        #if canImport(Darwin)
        var received: Int32 = 0
        sigwait(&signals, &received)
        #else
        var immediately = timespec(tv_sec: 0, tv_nsec: 0)
        _ = sigtimedwait(&signals, nil, &immediately)
        #endif
    }
}
