/// Runs `operation` and gives up after `timeout`: the operation's task is cancelled and `nil`
/// returned. The operation must end soon after cancellation (HTTP and gRPC calls do).
///
/// ```swift
/// let result = await withTimeout(.seconds(2)) { await transport.send(body, signal: .traces, timeout: .seconds(2)) }
/// ```
func withTimeout<Result: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async -> Result) async -> Result? {
    await withTaskGroup(of: Result?.self) { group in
        group.addTask { await operation() }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
