import Dispatch
import SpanLogReader
import Synchronization

/// A one-line progress report on stderr, shown only when stderr is a terminal and the scan has
/// been running for more than a second; redrawn five times a second, erased when done.
final class ProgressLine: Sendable {
    private let progress: ScanProgress
    private let totalFiles: Int
    private let totalBytes: UInt64
    private let shown = Atomic<Bool>(false)
    private let stopped = Mutex(false)

    init(progress: ScanProgress, totalFiles: Int, totalBytes: UInt64) {
        self.progress = progress
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
    }

    /// Starts the timer when stderr is a terminal.
    func start() {
        guard Terminal.standardError.isTerminal else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(1)) { [self] in self.tick() }
    }

    private func tick() {
        guard self.draw() else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { [self] in self.tick() }
    }

    /// Stops the timer and erases the line.
    func stop() {
        self.stopped.withLock { stopped in
            stopped = true
            self.erase()
        }
    }

    /// Erases the line (before another message is printed).
    func clear() {
        self.stopped.withLock { _ in self.erase() }
    }

    private func erase() {
        if self.shown.exchange(false, ordering: .relaxed) {
            Terminal.standardError.write("\r\u{1B}[K")
        }
    }

    /// Draws the line unless stopped; returns whether to keep going.
    private func draw() -> Bool {
        let megabytes = Double(self.progress.bytesRead) / 1_048_576
        let total = Double(self.totalBytes) / 1_048_576
        let percent = self.totalBytes == 0 ? 100 : Int(Double(self.progress.bytesRead) / Double(self.totalBytes) * 100)
        let text = "scanning: \(Int(megabytes)) of \(Int(total)) MB (\(percent)%), \(self.progress.filesDone) of \(self.totalFiles) files"
        return self.stopped.withLock { stopped in
            guard !stopped else { return false }
            Terminal.standardError.write("\r\u{1B}[K" + text)
            self.shown.store(true, ordering: .relaxed)
            return true
        }
    }
}
