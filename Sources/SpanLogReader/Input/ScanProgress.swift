import Synchronization

/// Counters a long scan updates as it goes, for a progress line; safe to read from any thread.
///
/// ```swift
/// let progress = ScanProgress()
/// // while scanning on other threads:
/// print(progress.bytesRead, progress.filesDone)
/// ```
public final class ScanProgress: Sendable {
    private let bytes = Atomic<UInt64>(0)
    private let files = Atomic<Int>(0)

    /// Creates zeroed counters.
    public init() {}

    /// File bytes (compressed, as on disk) read so far.
    public var bytesRead: UInt64 { self.bytes.load(ordering: .relaxed) }
    /// Files finished so far.
    public var filesDone: Int { self.files.load(ordering: .relaxed) }

    func add(bytes: UInt64) { self.bytes.add(bytes, ordering: .relaxed) }
    func fileDone() { self.files.add(1, ordering: .relaxed) }
}
