/// Runs a piece of async work in a task of its own and waits for it at most a given time, so
/// that work which ignores cancellation (an exporter stuck on a socket) cannot hold its caller
/// past a deadline: when the time is up the task is cancelled and left to end by itself.
/// Cancelling the caller cancels the work too.
///
/// ```swift
/// let outcome = await DeadlineRace.run(within: .seconds(30)) { try await exporter.export(snapshot) }
/// if outcome == .timedOut { print("export took longer than 30 s") }
/// ```
package enum DeadlineRace {
    /// How the work ended, as far as the caller waited.
    package enum Outcome: Sendable, Hashable {
        /// It returned in time.
        case finished
        /// It threw in time.
        case failed
        /// The time was up first (or the caller was cancelled).
        case timedOut
    }

    /// Runs `work`, waiting at most `timeout` for it.
    package static func run(within timeout: Duration, _ work: @escaping @Sendable () async throws -> Void) async -> Outcome {
        let task = Task { () -> Outcome in
            do {
                try await work()
                return .finished
            } catch {
                return .failed
            }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                // Whichever comes first resumes; the other finds the continuation taken.
                let pending = OneShot(continuation)
                let timer = Task {
                    guard (try? await Task.sleep(for: timeout)) != nil, let continuation = pending.take() else { return }
                    task.cancel()
                    continuation.resume(returning: .timedOut)
                }
                Task {
                    let outcome = await task.value
                    timer.cancel()
                    pending.take()?.resume(returning: outcome)
                }
            }
        } onCancel: {
            task.cancel()
        }
    }
}
