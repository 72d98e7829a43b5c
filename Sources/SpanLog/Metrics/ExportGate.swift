import Synchronization

/// Lets one export run at a time: callers wait their turn in order (each export is bounded by
/// its timeout, so every wait is too). The waiting callers are the reader's loop and the tasks
/// calling flush or shutdown, so their number is bounded by the callers themselves.
///
/// ```swift
/// await gate.enter()
/// defer { gate.leave() }
/// ```
final class ExportGate: Sendable {
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enteredNow = self.state.withLock { state -> Bool in
                if state.busy {
                    state.waiting.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if enteredNow { continuation.resume() }
        }
    }

    func leave() {
        let next = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
