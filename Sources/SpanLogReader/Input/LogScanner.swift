internal import SpanLogFormat
import Synchronization

/// Reads a set of files on several threads (one file per thread at a time) and collects what a
/// visitor makes of their records.
///
/// ```swift
/// let scanner = LogScanner(files: LogFileSet(paths: ["logs"]).files) { issue in print(issue) }
/// let records = scanner.records(ofTrace: "4bf92f3577b34da6a3ce929d0e0e4736")
/// ```
public struct LogScanner: Sendable {
    /// The files, in reading order (a record's ``LogLine/Location/fileIndex`` indexes this).
    public var files: [String]
    /// How many files are read at the same time.
    public var threads: Int
    /// Updated while scanning, if given.
    public var progress: ScanProgress?
    /// Receives damage reports and unreadable files.
    public var issues: ReadIssueHandler
    /// Whether ``records(ofTrace:from:through:)`` uses trace indexes (`<file>.idx`) to read
    /// only the parts of files that can hold the trace. Default true.
    public var usesIndexes = true

    /// Creates a scanner over `files`.
    public init(files: [String], threads: Int = 2, progress: ScanProgress? = nil, issues: @escaping ReadIssueHandler) {
        self.files = files
        self.threads = max(1, threads)
        self.progress = progress
        self.issues = issues
    }

    /// Every record of the trace `traceID` (32 lowercase hex digits), logs and spans, sorted by
    /// `timestamp` (file order breaks ties).
    ///
    /// Only lines that contain the id's bytes are parsed; the rest is looked at by `memmem` alone.
    /// Where a file has a usable trace index, only its blocks that may hold the trace (and, with
    /// `earliest`/`latest`, overlap that time range) are read, plus anything appended after the
    /// indexed part; an unusable index is reported as a warning and the file is read in full.
    /// The time range only narrows what is read: records outside it may still be returned.
    public func records(ofTrace traceID: String, from earliest: RecordTime? = nil, through latest: RecordTime? = nil) -> [LogLine] {
        let needle = Array(traceID.utf8)
        let hash = TraceIDHash(hex: needle)
        let usesIndexes = self.usesIndexes
        let perFile: [[LogLine]] = self.map { index, path, issues in
            var found: [LogLine] = []
            var malformed = MalformedLines(path: path, issues: issues)
            let consume: (UnsafeRawBufferPointer, UInt64) -> Void = { block, offset in
                needle.withUnsafeBytes { needleBytes in
                    LineSplitter.forEachLine(in: block, startingAt: offset, containing: needleBytes) { line, lineOffset in
                        do throws(JSONParser.Failure) {
                            let record = try LogLine(bytes: line, location: .init(fileIndex: index, offset: lineOffset))
                            if record.traceID == traceID { found.append(record) }
                        } catch {
                            malformed.record(at: lineOffset, error)
                        }
                    }
                }
            }
            var parts: [(range: Range<UInt64>?, uncompressedOffset: UInt64)] = [(nil, 0)]
            if usesIndexes, let hash {
                switch TraceIndexFile.load(forLogFile: path) {
                case .missing:
                    break
                case .ignored(let problem):
                    issues(ReadIssue(path: TraceIndexLayout.sidecarPath(forLogFile: path), offset: nil, severity: .warning,
                                     message: "\(problem); reading \(path) in full"))
                case .usable(let traceIndex):
                    parts = traceIndex.blocks(mayHolding: hash, from: earliest?.nanosecondsSinceEpoch, through: latest?.nanosecondsSinceEpoch).map {
                        ($0.offset..<($0.offset + $0.length), $0.uncompressedOffset)
                    }
                    // Whatever was appended after the index was written.
                    parts.append((traceIndex.coveredBytes..<UInt64.max, traceIndex.uncompressedBytes))
                }
            }
            for part in parts {
                guard let reader = Self.open(path, range: part.range, uncompressedOffset: part.uncompressedOffset, issues: issues) else { return nil }
                self.drain(reader, consume)
            }
            malformed.finish()
            return found
        }
        return Self.sortedByTime(perFile.flatMap { $0 })
    }

    /// Folds every record of every file into a value per file with `visit`, and returns the
    /// values in file order (combine them as you like).
    public func collect<Value: Sendable>(_ initial: @escaping @Sendable () -> Value, _ visit: @escaping @Sendable (inout Value, LogLine) -> Void) -> [Value] {
        self.map { index, path, issues in
            guard let reader = Self.open(path, range: nil, uncompressedOffset: 0, issues: issues) else { return nil }
            var value = initial()
            var malformed = MalformedLines(path: path, issues: issues)
            let consume: (UnsafeRawBufferPointer, UInt64) -> Void = { block, offset in
                LineSplitter.forEachLine(in: block, startingAt: offset) { line, lineOffset in
                    do throws(JSONParser.Failure) {
                        visit(&value, try LogLine(bytes: line, location: .init(fileIndex: index, offset: lineOffset)))
                    } catch {
                        malformed.record(at: lineOffset, error)
                    }
                }
            }
            self.drain(reader, consume)
            malformed.finish()
            return value
        }
    }

    /// Sorts records by timestamp, keeping read order among equal (or missing) timestamps.
    public static func sortedByTime(_ records: [LogLine]) -> [LogLine] {
        records.sorted { lhs, rhs in
            let left = lhs.timestamp?.nanosecondsSinceEpoch ?? Int64.min
            let right = rhs.timestamp?.nanosecondsSinceEpoch ?? Int64.min
            if left != right { return left < right }
            return lhs.location < rhs.location
        }
    }

    func drain(_ reader: LogFileReader, _ consume: (UnsafeRawBufferPointer, UInt64) -> Void) {
        while true {
            let read = reader.readAvailable(consume)
            self.progress?.add(bytes: read)
            if read == 0 { break }
        }
        reader.finish(consume)
        self.progress?.fileDone()
    }

    /// A reader for `path` (or its `range`), or nil after reporting why it cannot be opened.
    static func open(_ path: String, range: Range<UInt64>?, uncompressedOffset: UInt64, issues: @escaping ReadIssueHandler) -> LogFileReader? {
        do throws(ReadIssue) {
            return try LogFileReader(path: path, issues: issues, range: range, uncompressedOffset: uncompressedOffset)
        } catch {
            issues(error)
            return nil
        }
    }

    /// Runs `body` for every file on up to `threads` threads; results in file order (files that
    /// could not be opened are left out: `body` returns nil for them).
    private func map<Value: Sendable>(_ body: @escaping @Sendable (Int, String, @escaping ReadIssueHandler) -> Value?) -> [Value] {
        let results = Mutex<[Value?]>(Array(repeating: nil, count: self.files.count))
        let next = Atomic<Int>(0)
        let files = self.files
        let issues = self.issues
        let work: @Sendable (Int) -> Void = { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < files.count else { return }
                guard let value = body(index, files[index], issues) else { continue }
                results.withLock { $0[index] = value }
            }
        }
        ParallelWorkers.run(count: min(self.threads, self.files.count), work)
        return results.withLock { $0 }.compactMap { $0 }
    }
}

/// Reports the first malformed line of a file with its offset, and how many more there were.
struct MalformedLines {
    let path: String
    let issues: ReadIssueHandler
    private var count = 0

    init(path: String, issues: @escaping ReadIssueHandler) {
        self.path = path
        self.issues = issues
    }

    mutating func record(at offset: UInt64, _ error: JSONParser.Failure) {
        self.count += 1
        if self.count == 1 {
            self.issues(ReadIssue(path: self.path, offset: offset, severity: .warning, message: "malformed line skipped (\(error.description))"))
        }
    }

    func finish() {
        if self.count > 1 {
            self.issues(ReadIssue(path: self.path, offset: nil, severity: .warning, message: "\(self.count - 1) more malformed lines skipped"))
        }
    }
}
