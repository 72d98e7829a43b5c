internal import SpanLogFormat
import Synchronization

/// Reads every line of a scanner's files on its threads, skipping the blocks of indexed files
/// whose time range (from the trace index, `<file>.idx`) lies outside `since … until`: the
/// full scan behind `spanlog grep` without a trace id and `spanlog traces`.
///
/// Each file is folded into a value of its own with `line`, then handed to `fileDone` (on the
/// thread that read it, one call at a time). Files without a usable index are read in full;
/// an unusable index is reported as a warning, as ``LogScanner/records(ofTrace:from:through:)``
/// does.
///
/// ```swift
/// let scan = TimeBoundedScan(scanner: scanner, since: oneHourAgo, until: nil)
/// scan.run({ _ in 0 }, line: { count, _, _, _ in count += 1 }, fileDone: { _, count in total += count })
/// ```
package struct TimeBoundedScan: Sendable {
    /// What a scan read and skipped; tests use it to prove that time bounds skip blocks.
    ///
    /// ```swift
    /// #expect(scan.statistics.blocksSkipped > 0)
    /// ```
    package final class Statistics: Sendable {
        private let read = Atomic<Int>(0)
        private let skipped = Atomic<Int>(0)
        private let skippedBytes = Atomic<UInt64>(0)
        private let whole = Atomic<Int>(0)

        package init() {}

        /// Index blocks (runs of whole gzip members) read.
        package var blocksRead: Int { self.read.load(ordering: .relaxed) }
        /// Index blocks not read because their time range is outside the bounds.
        package var blocksSkipped: Int { self.skipped.load(ordering: .relaxed) }
        /// Compressed bytes of the skipped blocks.
        package var bytesSkipped: UInt64 { self.skippedBytes.load(ordering: .relaxed) }
        /// Files read in full (no usable index, or no time bound).
        package var filesReadInFull: Int { self.whole.load(ordering: .relaxed) }

        func add(read: Int, skipped: Int, skippedBytes: UInt64) {
            self.read.add(read, ordering: .relaxed)
            self.skipped.add(skipped, ordering: .relaxed)
            self.skippedBytes.add(skippedBytes, ordering: .relaxed)
        }

        func addWholeFile() { self.whole.add(1, ordering: .relaxed) }
    }

    package let scanner: LogScanner
    package let since: RecordTime?
    package let until: RecordTime?
    package let statistics = Statistics()

    /// A scan of `scanner`'s files; blocks are skipped only when a bound is given and the
    /// scanner uses indexes.
    package init(scanner: LogScanner, since: RecordTime?, until: RecordTime?) {
        self.scanner = scanner
        self.since = since
        self.until = until
    }

    /// Folds each file's lines into a value: `initial(fileIndex)`, then `line(&value, bytes,
    /// location)` for every line read (without its newline), then `fileDone(fileIndex, value)`.
    package func run<Value>(
        _ initial: @escaping @Sendable (Int) -> Value,
        line: @escaping @Sendable (inout Value, UnsafeRawBufferPointer, LogLine.Location) -> Void,
        fileDone: @escaping @Sendable (Int, consuming Value) -> Void
    ) {
        let files = self.scanner.files
        let next = Atomic<Int>(0)
        let handOver = Mutex<Void>(())
        let scan = self
        ParallelWorkers.run(count: min(self.scanner.threads, files.count)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < files.count else { return }
                var value = initial(index)
                scan.read(fileIndex: index, path: files[index]) { bytes, offset in
                    line(&value, bytes, LogLine.Location(fileIndex: index, offset: offset))
                }
                handOver.withLock { _ in fileDone(index, value) }
            }
        }
    }

    /// The parts of `path` to read: nil ranges mean the whole file.
    private func parts(of path: String) -> [(range: Range<UInt64>?, uncompressedOffset: UInt64)] {
        guard self.scanner.usesIndexes, self.since != nil || self.until != nil else { return [(nil, 0)] }
        switch TraceIndexFile.load(forLogFile: path) {
        case .missing:
            return [(nil, 0)]
        case .ignored(let problem):
            self.scanner.issues(ReadIssue(path: TraceIndexLayout.sidecarPath(forLogFile: path), offset: nil, severity: .warning,
                                          message: "\(problem); reading \(path) in full"))
            return [(nil, 0)]
        case .usable(let index):
            let since = self.since?.nanosecondsSinceEpoch
            let until = self.until?.nanosecondsSinceEpoch
            var parts: [(range: Range<UInt64>?, uncompressedOffset: UInt64)] = []
            var skipped = 0
            var skippedBytes: UInt64 = 0
            for block in index.blocks {
                let outside = (since.map { block.latest < $0 } ?? false) || (until.map { block.earliest > $0 } ?? false)
                if outside {
                    skipped += 1
                    skippedBytes += block.length
                    continue
                }
                // Neighbouring blocks are read as one range.
                if let last = parts.last, let range = last.range, range.upperBound == block.offset {
                    parts[parts.count - 1].range = range.lowerBound..<(block.offset + block.length)
                } else {
                    parts.append((block.offset..<(block.offset + block.length), block.uncompressedOffset))
                }
            }
            self.statistics.add(read: index.blocks.count - skipped, skipped: skipped, skippedBytes: skippedBytes)
            // Whatever was appended after the index was written.
            parts.append((index.coveredBytes..<UInt64.max, index.uncompressedBytes))
            return parts
        }
    }

    private func read(fileIndex: Int, path: String, _ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        let parts = self.parts(of: path)
        if parts.count == 1, parts[0].range == nil { self.statistics.addWholeFile() }
        for part in parts {
            guard let reader = LogScanner.open(path, range: part.range, uncompressedOffset: part.uncompressedOffset, issues: self.scanner.issues) else { return }
            self.scanner.drain(reader) { block, offset in
                LineSplitter.forEachLine(in: block, startingAt: offset, body)
            }
        }
    }
}
