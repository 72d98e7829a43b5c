internal import SpanLogFormat
import Synchronization

/// `spanlog grep` without a trace id: every record of the files that passes a
/// ``RecordQuery``, found by a full scan (``TimeBoundedScan``: blocks outside `--since`/`--until`
/// skipped where an index says so), each line looked at by a ``LinePrefilter`` first and parsed
/// only when it may match.
///
/// ```swift
/// let search = RecordSearch(scanner: scanner, query: query)
/// search.run(.all) { record in print(record.text) }        // file by file, each in time order
/// search.run(.newest(10)) { record in print(record.text) } // the 10 newest, newest first
/// let count = search.count()
/// ```
package struct RecordSearch: Sendable {
    /// Which matches are printed.
    package enum Selection: Sendable {
        /// Every match: file by file in reading order (rotated files in time order), each
        /// file's matches in time order; at most the matches of the files being read at once
        /// are held.
        case all
        /// The `n` oldest matches by timestamp, oldest first.
        case oldest(Int)
        /// The `n` newest matches by timestamp, newest first.
        case newest(Int)
    }

    /// The query, shared by the reading threads. `RecordQuery` is not `Sendable` only because a
    /// `Regex` is not marked so; matching does not change a regex, and its compiled program is
    /// built here, before any thread shares it.
    private final class SharedQuery: @unchecked Sendable {
        let query: RecordQuery
        init(_ query: RecordQuery) {
            if case .regex(let regex) = query.message { _ = try? regex.firstMatch(in: "") }
            self.query = query
        }
    }

    package let scan: TimeBoundedScan
    private let shared: SharedQuery
    private let prefilter: LinePrefilter
    private let fileServices: [String?]

    /// The query the search applies.
    package var query: RecordQuery { self.shared.query }

    /// A search of `scanner`'s files for the records `query` keeps.
    package init(scanner: LogScanner, query: RecordQuery) {
        self.scan = TimeBoundedScan(scanner: scanner, since: query.since, until: query.until)
        self.shared = SharedQuery(query)
        self.prefilter = LinePrefilter(query: query)
        self.fileServices = scanner.files.map(Self.service(ofFile:))
    }

    /// The `<name>` of a rotated file name `<name>-<stamp>-<seq>.<ext>` (the sink's file name,
    /// usually the service's), or nil.
    package static func service(ofFile path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return LogFileName.parse(name).map { String($0.base) }
    }

    /// Calls `body` with the records `selection` asks for, in its order (on one thread at a
    /// time), and returns how many there were.
    @discardableResult
    package func run(_ selection: Selection, _ body: @escaping @Sendable (LogLine) -> Void) -> Int {
        switch selection {
        case .all:
            return self.runAll(body)
        case .oldest(let limit), .newest(let limit):
            var newest = false
            if case .newest = selection { newest = true }
            let kept = self.runLimited(limit, newest: newest)
            for record in kept { body(record) }
            return kept.count
        }
    }

    /// How many records match (nothing is kept).
    package func count() -> Int {
        let total = Atomic<Int>(0)
        self.scan.run({ _ in 0 }, line: { [self] count, bytes, location in
            if self.parse(bytes, location) != nil { count += 1 }
        }, fileDone: { _, count in total.add(count, ordering: .relaxed) })
        return total.load(ordering: .relaxed)
    }

    /// The record on `bytes` when it matches.
    private func parse(_ bytes: UnsafeRawBufferPointer, _ location: LogLine.Location) -> LogLine? {
        guard self.prefilter.mayMatch(bytes) else { return nil }
        // A malformed line cannot match; the full reads (stats, trace) report those.
        guard let record = try? LogLine(bytes: bytes, location: location) else { return nil }
        return self.shared.query.matches(record, fileService: self.fileServices[location.fileIndex]) ? record : nil
    }

    private func runAll(_ body: @escaping @Sendable (LogLine) -> Void) -> Int {
        // Files finish out of order on several threads: each is printed once those before it were.
        struct Pending: Sendable {
            var next = 0
            var done: [Int: [LogLine]] = [:]
            var printed = 0
        }
        let pending = Mutex(Pending())
        self.scan.run({ _ in [LogLine]() }, line: { [self] found, bytes, location in
            if let record = self.parse(bytes, location) { found.append(record) }
        }, fileDone: { index, found in
            pending.withLock { state in
                state.done[index] = LogScanner.sortedByTime(found)
                while let ready = state.done.removeValue(forKey: state.next) {
                    for record in ready { body(record) }
                    state.printed += ready.count
                    state.next += 1
                }
            }
        })
        return pending.withLock { state in
            // Files that could not be opened never report: print what waits behind them.
            for index in state.done.keys.sorted() {
                for record in state.done[index]! { body(record) }
                state.printed += state.done[index]!.count
            }
            return state.printed
        }
    }

    private func runLimited(_ limit: Int, newest: Bool) -> [LogLine] {
        guard limit > 0 else { return [] }
        let comesFirst: @Sendable (LogLine, LogLine) -> Bool = { lhs, rhs in
            let left = lhs.timestamp?.nanosecondsSinceEpoch ?? Int64.min
            let right = rhs.timestamp?.nanosecondsSinceEpoch ?? Int64.min
            if left != right { return newest ? left > right : left < right }
            return newest ? rhs.location < lhs.location : lhs.location < rhs.location
        }
        // Each file keeps its best `limit` (trimmed from 2 × limit), then the files' are merged.
        let trim: @Sendable (inout [LogLine]) -> Void = { kept in
            kept.sort(by: comesFirst)
            kept.removeLast(max(0, kept.count - limit))
        }
        let trimAt = limit > Int.max / 2 ? Int.max : 2 * limit
        let merged = Mutex<[LogLine]>([])
        self.scan.run({ _ in [LogLine]() }, line: { [self] kept, bytes, location in
            guard let record = self.parse(bytes, location) else { return }
            kept.append(record)
            if kept.count >= trimAt { trim(&kept) }
        }, fileDone: { _, kept in
            merged.withLock { all in
                all += kept
                trim(&all)
            }
        })
        return merged.withLock { $0 }
    }
}
