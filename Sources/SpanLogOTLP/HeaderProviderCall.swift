import Synchronization

/// Calls an ``OTLPHeaderProvider`` within a time limit, even when it ignores cancellation: the
/// call runs in a task of its own, and the caller goes on at the limit (the task is cancelled
/// and left to end by itself).
///
/// ```swift
/// switch await HeaderProviderCall.run(provider, timeout: .seconds(2)) {
/// case .success(let headers): print(headers.count)
/// case .failure(let why): print(why)   // "did not answer within 2.0 seconds", "threw …"
/// }
/// ```
enum HeaderProviderCall {
    enum Answer: Sendable {
        case success([(name: String, value: String)])
        case failure(String)
    }

    static func run(_ provider: @escaping OTLPHeaderProvider, timeout: Duration) async -> Answer {
        guard timeout > .zero else { return .failure("no time left before the export's deadline") }
        let pending = Mutex<CheckedContinuation<Answer, Never>?>(nil)
        let resume: @Sendable (Answer) -> Void = { answer in
            let continuation = pending.withLock { stored -> CheckedContinuation<Answer, Never>? in
                defer { stored = nil }
                return stored
            }
            continuation?.resume(returning: answer)
        }
        return await withCheckedContinuation { continuation in
            pending.withLock { $0 = continuation }
            let call = Mutex<Task<Void, Never>?>(nil)
            let timer = Task {
                do { try await Task.sleep(for: timeout) } catch { return }
                call.withLock { $0 }?.cancel()
                resume(.failure("did not answer within \(timeout) (the export's deadline)"))
            }
            let task = Task {
                do {
                    resume(.success(try await provider()))
                } catch {
                    resume(.failure("threw \(OTLPPartialSuccess.printable(String(describing: error), limit: 200))"))
                }
                timer.cancel()
            }
            call.withLock { $0 = task }
        }
    }
}
