import Foundation
import Logging
@testable import SpanLog
@testable import SpanLogReader
import SpanLogFormat
import Testing

@Suite("trace index: files written by the sink, lookups equal to full scans")
struct TraceIndexTests {
    /// Rotated files written by the real sink, with small files and small index blocks so
    /// that there are many of both.
    final class IndexedSet {
        let directory: TemporaryDirectory
        /// Every trace id used, each in a short window of time (so in one or two files).
        let traces: [String]
        /// A trace with a record every few hundred records: in nearly every file.
        let spread: String
        let absent: [String]

        init(files minimumFiles: Int = 22) throws {
            self.directory = try TemporaryDirectory("spanlog-index")
            var configuration = RotatingGzipFileSink.Configuration(directory: self.directory.path, fileName: "app", rotateBytes: 16 << 10, flushIntervalMilliseconds: 60_000)
            configuration.traceIndexBlockBytes = 6 << 10
            let sink = RotatingGzipFileSink(configuration: configuration)
            let maker = RecordMaker(extraSinks: [sink])
            var traces: [String] = []
            let spread = randomHex(32)
            var active: [(trace: String, span: String, left: Int)] = []
            var written = 0
            while Self.logFiles(in: self.directory.path).count < minimumFiles {
                if active.count < 12 {
                    let trace = randomHex(32)
                    traces.append(trace)
                    active.append((trace, randomHex(16), Int.random(in: 3...30)))
                }
                let slot = Int.random(in: 0..<active.count)
                maker.log(.info, "step \(written) of \(active[slot].trace.prefix(6))", in: (active[slot].trace, active[slot].span),
                          metadata: ["user": "\(Int.random(in: 1...9999))", "request_id": "\(randomHex(16))"])
                active[slot].left -= 1
                if active[slot].left == 0 { active.remove(at: slot) }
                if written % 150 == 0 { maker.log(.warning, "spread \(written)", in: (spread, randomHex(16))) }
                if written % 40 == 0 { maker.log(.debug, "untraced \(written)", in: nil) }
                written += 1
                if written % 500 == 0 { sink.flush() }
            }
            sink.shutdown()
            self.traces = traces
            self.spread = spread
            self.absent = (0..<25).map { _ in randomHex(32) }
        }

        static func logFiles(in directory: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".jsonl.gz") }.sorted()
        }

        var files: [String] { LogFileSet(paths: [self.directory.path]).files }

        /// Every record by trace id, from one full scan without indexes.
        func fullScan() -> [String: [String]] {
            var scanner = LogScanner(files: self.files, issues: { _ in })
            scanner.usesIndexes = false
            let perFile = scanner.collect({ [String: [LogLine]]() }) { byTrace, record in
                if let trace = record.traceID { byTrace[trace, default: []].append(record) }
            }
            var merged: [String: [LogLine]] = [:]
            for part in perFile {
                for (trace, records) in part { merged[trace, default: []] += records }
            }
            return merged.mapValues { LogScanner.sortedByTime($0).map(\.text) }
        }
    }

    static func lookup(_ set: IndexedSet, _ trace: String, usesIndexes: Bool = true, issues: IssueLog = IssueLog(),
                       from: RecordTime? = nil, through: RecordTime? = nil) -> (records: [String], bytesRead: UInt64) {
        let progress = ScanProgress()
        var scanner = LogScanner(files: set.files, progress: progress, issues: issues.handler)
        scanner.usesIndexes = usesIndexes
        let records = scanner.records(ofTrace: trace, from: from, through: through).map(\.text)
        return (records, progress.bytesRead)
    }

    @Test("the sink indexes every file it closes; every lookup returns exactly what a full scan returns, reading a fraction")
    func lookupsEqualFullScan() throws {
        let set = try IndexedSet()
        let logFiles = IndexedSet.logFiles(in: set.directory.path)
        #expect(logFiles.count >= 20)
        for file in logFiles {
            #expect(FileManager.default.fileExists(atPath: set.directory.file(file + ".idx")), "no index beside \(file)")
        }
        let expected = set.fullScan()
        let totalBytes = Self.lookup(set, set.spread, usesIndexes: false).bytesRead
        let issues = IssueLog()
        var bytesForShortTraces: UInt64 = 0
        var foundTraces = 0
        for trace in set.traces {
            let found = Self.lookup(set, trace, issues: issues)
            #expect(found.records == expected[trace] ?? [], "trace \(trace)")
            if !found.records.isEmpty { foundTraces += 1 }
            bytesForShortTraces += found.bytesRead
        }
        // Traces opened just before the last file filled up may have no record yet.
        #expect(foundTraces >= set.traces.count - 12)
        let spread = Self.lookup(set, set.spread, issues: issues)
        #expect(spread.records == expected[set.spread])
        #expect(Set(spread.records.compactMap { $0.range(of: "spread") }).count == 1 || spread.records.count > 20)
        for trace in set.absent {
            let found = Self.lookup(set, trace, issues: issues)
            #expect(found.records.isEmpty)
            #expect(found.bytesRead < totalBytes / 10, "absent id read \(found.bytesRead) of \(totalBytes) bytes")
        }
        #expect(issues.issues.isEmpty, "\(issues.issues)")
        // A short trace lives in one or two blocks: on average far less than the whole set is read.
        let average = bytesForShortTraces / UInt64(set.traces.count)
        #expect(average * 8 < totalBytes, "average lookup read \(average) of \(totalBytes) bytes")
    }

    @Test("corrupt, truncated, unsupported and stale indexes are reported and the files scanned in full")
    func damagedIndexesFallBack() throws {
        let set = try IndexedSet()
        let files = set.files
        func indexPath(_ number: Int) -> String { files[number] + ".idx" }
        // Corrupt: one flipped byte in the middle.
        var corrupt = try [UInt8](Data(contentsOf: URL(fileURLWithPath: indexPath(2))))
        corrupt[corrupt.count / 2] ^= 0x40
        try Data(corrupt).write(to: URL(fileURLWithPath: indexPath(2)))
        // Truncated.
        let truncated = try Data(contentsOf: URL(fileURLWithPath: indexPath(4)))
        try truncated.prefix(truncated.count / 2).write(to: URL(fileURLWithPath: indexPath(4)))
        // A future format version.
        var future = try [UInt8](Data(contentsOf: URL(fileURLWithPath: indexPath(6))))
        future[8] = 99
        try Data(future).write(to: URL(fileURLWithPath: indexPath(6)))
        // Stale: the log file was recompressed (same records, different bytes) after indexing.
        let original = try Data(contentsOf: URL(fileURLWithPath: files[8]))
        let text = try gunzipAll([UInt8](original))
        let lines = text.split(separator: "\n").map(String.init)
        try Data(gzipFile(lines, linesPerMember: 50)).write(to: URL(fileURLWithPath: files[8]))
        // Stale: same size, different bytes at the end of what was indexed.
        var rewritten = try [UInt8](Data(contentsOf: URL(fileURLWithPath: files[12])))
        rewritten[rewritten.count - 3] ^= 0x01
        try Data(rewritten).write(to: URL(fileURLWithPath: files[12]))
        // Stale: the log file was cut short.
        let cut = try Data(contentsOf: URL(fileURLWithPath: files[10]))
        try cut.prefix(cut.count / 3).write(to: URL(fileURLWithPath: files[10]))
        let afterCut = set.fullScan()

        let issues = IssueLog()
        for trace in set.traces + [set.spread] + set.absent {
            let found = Self.lookup(set, trace, issues: issues)
            #expect(found.records == afterCut[trace] ?? [], "trace \(trace)")
        }
        let warnings = issues.issues.filter { $0.path.hasSuffix(".idx") }
        func messages(for number: Int) -> [String] { warnings.filter { $0.path == indexPath(number) }.map(\.message) }
        #expect(messages(for: 2).contains { $0.contains("corrupt index") && $0.contains("checksum") })
        #expect(messages(for: 4).contains { $0.contains("corrupt index") })
        #expect(messages(for: 6).contains { $0.contains("unsupported index") && $0.contains("version 99") })
        #expect(messages(for: 8).contains { $0.contains("stale index") })
        #expect(messages(for: 12).contains { $0.contains("stale index") && $0.contains("changed") })
        #expect(messages(for: 10).contains { $0.contains("stale index") && $0.contains("shorter") })
        #expect(warnings.allSatisfy { $0.severity == .warning && $0.message.contains("reading") })
        #expect(Set(warnings.map(\.path)) == Set([2, 4, 6, 8, 10, 12].map(indexPath)))
    }

    @Test("time-range queries skip blocks outside the range and find the same records in it")
    func timeRangeSkipsBlocks() throws {
        let set = try IndexedSet()
        let expected = set.fullScan()[set.spread] ?? []
        let times = expected.compactMap { line -> RecordTime? in
            (try? LogLine(text: line))?.timestamp
        }
        #expect(times.count > 20)
        let from = times[times.count / 3]
        let through = times[times.count / 2]
        var query = RecordQuery()
        query.since = from
        query.until = through
        let issues = IssueLog()
        let ranged = Self.lookup(set, set.spread, issues: issues, from: from, through: through)
        let whole = Self.lookup(set, set.spread, issues: issues)
        let inRange = ranged.records.filter { (try? LogLine(text: $0)).map(query.matches) == true }
        let expectedInRange = expected.filter { (try? LogLine(text: $0)).map(query.matches) == true }
        #expect(inRange == expectedInRange)
        #expect(inRange.count >= times.count / 6)
        #expect(ranged.bytesRead * 2 < whole.bytesRead, "range read \(ranged.bytesRead), whole \(whole.bytesRead)")
        #expect(issues.issues.isEmpty)
    }

    @Test("spanlog's indexer builds missing indexes that give the same answers; plain and damaged files are left unindexed")
    func indexerBuildsMissingIndexes() throws {
        let set = try IndexedSet()
        let expected = set.fullScan()
        for file in set.files { try FileManager.default.removeItem(atPath: file + ".idx") }
        let outcomes = set.files.map { TraceIndexer.index(file: $0, force: false, blockBytes: 6 << 10) }
        #expect(outcomes.allSatisfy { if case .written = $0 { return true } else { return false } }, "\(outcomes)")
        #expect(TraceIndexer.index(files: set.files).allSatisfy { $0 == .upToDate })
        let issues = IssueLog()
        for trace in set.traces.prefix(60) + [set.spread] + set.absent.prefix(5) {
            #expect(Self.lookup(set, trace, issues: issues).records == expected[trace] ?? [])
        }
        #expect(issues.issues.isEmpty, "\(issues.issues)")

        try set.directory.write("plain.jsonl", Array("{\"timestamp\":\"x\"}\n".utf8))
        #expect({ if case .notIndexed(let why) = TraceIndexer.index(file: set.directory.file("plain.jsonl")) { return why.contains("not gzip") } else { return false } }())
        let whole = try Data(contentsOf: URL(fileURLWithPath: set.files[0]))
        try set.directory.write("torn.jsonl.gz", [UInt8](whole.prefix(whole.count - 10)))
        #expect({ if case .notIndexed(let why) = TraceIndexer.index(file: set.directory.file("torn.jsonl.gz")) { return why.contains("truncated") } else { return false } }())
        #expect(!FileManager.default.fileExists(atPath: set.directory.file("torn.jsonl.gz.idx")))
        #expect(!FileManager.default.fileExists(atPath: set.directory.file("plain.jsonl.idx")))
    }

    @Test("spanlog index builds missing indexes; grep with and without them prints the same lines; a bad index is named")
    func commandLine() throws {
        let set = try IndexedSet(files: 4)
        for file in set.files { try FileManager.default.removeItem(atPath: file + ".idx") }
        let first = try SpanLogBinary.run(["index", set.directory.path])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("\(set.files.count) indexed"), "\(first.output)")
        #expect(set.files.allSatisfy { FileManager.default.fileExists(atPath: $0 + ".idx") })
        let second = try SpanLogBinary.run(["index", set.directory.path])
        #expect(second.output.contains("0 indexed") && second.output.contains("\(set.files.count) up to date"), "\(second.output)")

        let trace = set.traces[set.traces.count / 2]
        let indexed = try SpanLogBinary.run(["grep", trace, set.directory.path])
        let scanned = try SpanLogBinary.run(["grep", "--no-index", trace, set.directory.path])
        #expect(indexed.status == 0 && scanned.status == 0)
        #expect(!indexed.output.isEmpty && indexed.output == scanned.output)

        let damaged = set.files[1] + ".idx"
        try Data("not an index".utf8).write(to: URL(fileURLWithPath: damaged))
        let afterDamage = try SpanLogBinary.run(["grep", trace, set.directory.path])
        #expect(afterDamage.status == 0)
        #expect(afterDamage.output == scanned.output)
        #expect(afterDamage.error.contains(damaged) && afterDamage.error.contains("corrupt index"), "\(afterDamage.error)")
        let absent = try SpanLogBinary.run(["grep", set.absent[0], set.directory.path])
        #expect(absent.status == 1 && absent.output.isEmpty)
    }

    @Test("records appended after the index was written are still found")
    func appendedRecordsAreFound() throws {
        let set = try IndexedSet(files: 3)
        let files = set.files
        let late = randomHex(32)
        let line = logRecord(at: RecordTime.now(), message: "late", trace: late, span: randomHex(16))
        try set.directory.append((files[1] as NSString).lastPathComponent, gzipMember(line + "\n"))
        let issues = IssueLog()
        #expect(Self.lookup(set, late, issues: issues).records == [line])
        #expect(issues.issues.isEmpty, "\(issues.issues)")
        // And the indexer brings that file's index up to date.
        #expect({ if case .written = TraceIndexer.index(file: files[1]) { return true } else { return false } }())
        #expect(TraceIndexer.index(file: files[1]) == .upToDate)
    }

    @Test("retention deletes a file's index with it")
    func retentionDeletesIndexes() throws {
        let directory = try TemporaryDirectory("spanlog-index-retention")
        let sink = RotatingGzipFileSink(configuration: .init(directory: directory.path, fileName: "app", rotateBytes: 4096, retainFiles: 3, flushIntervalMilliseconds: 60_000))
        let maker = RecordMaker(extraSinks: [sink])
        for index in 0..<3000 {
            maker.log(.info, "record \(index) \(randomHex(32))", in: (randomHex(32), randomHex(16)))
            if index % 200 == 0 { sink.flush() }
        }
        sink.shutdown()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let logs = Set(names.filter { $0.hasSuffix(".jsonl.gz") })
        let indexes = Set(names.filter { $0.hasSuffix(".idx") })
        #expect(logs.count == 3)
        #expect(indexes == Set(logs.map { $0 + ".idx" }))
        #expect(!names.contains { $0.contains(".tmp") })
    }

    @Test("the Bloom filter is sized for its distinct ids and its false-positive rate is near the documented 0.01 %")
    func bloomFalsePositiveRate() {
        func hash(_ id: String) -> TraceIDHash { TraceIDHash(hex: Array(id.utf8))! }
        let ids = (0..<5000).map { _ in hash(randomHex(32)) }
        // Each id three times, as records of one trace repeat it: sized for the distinct ones.
        let filter = BloomFilter(ids: ids + ids.shuffled() + ids)
        #expect(ids.allSatisfy { filter.mayContain($0) })
        let bitsPerID = filter.words.count * 64 / ids.count
        #expect((20...40).contains(bitsPerID), "\(bitsPerID) bits per id")
        let trials = 50_000
        var positives = 0
        for _ in 0..<trials where filter.mayContain(hash(randomHex(32))) { positives += 1 }
        let rate = Double(positives) / Double(trials)
        #expect(rate < 0.001, "false-positive rate \(rate)")
    }
}

/// The decompressed text of every member of a gzip file.
func gunzipAll(_ bytes: [UInt8]) throws -> String {
    let directory = try TemporaryDirectory("gunzip")
    try directory.write("file.gz", bytes)
    var text = ""
    let reader = try LogFileReader(path: directory.file("file.gz")) { _ in }
    let consume: (UnsafeRawBufferPointer, UInt64) -> Void = { block, _ in text += String(decoding: block, as: UTF8.self) }
    while reader.readAvailable(consume) > 0 {}
    reader.finish(consume)
    return text
}
