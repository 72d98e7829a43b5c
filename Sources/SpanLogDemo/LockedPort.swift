import Synchronization

/// A port number shared between the server's start-up callback and the routes.
final class LockedPort: Sendable {
    private let port = Mutex(0)

    func get() -> Int { self.port.withLock { $0 } }
    func set(_ value: Int) { self.port.withLock { $0 = value } }
}
