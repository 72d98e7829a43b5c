internal import Foundation
@testable import SpanLogFormat
@testable import SpanLogReader

/// The trace-index reader (`SpanLogFormat/TraceIndex*`): the input is a `.idx` file beside a
/// small valid log file (``ReferenceLog``), loaded and used by a trace search as `spanlog grep`
/// does, which reads the blocks the index points at.
///
/// The input's first byte chooses how; the rest is the index file:
/// - bit 0 clear: its last four bytes are replaced by the right checksum, so that mutations
///   reach the fields behind it (set: the bytes are written as they are);
/// - bits 1–2: the search: trace A, trace B, trace A within a time range, an absent trace.
///
/// With `SPANLOG_FUZZ_INDEX_COMPLETE=1` the search must also find what a search without the
/// index finds (an index must never hide records); off by default until issue 15's item 9
/// decides what an index may vouch for.
enum TraceIndexTarget {
    static let checksKeepRecords = ProcessInfo.processInfo.environment["SPANLOG_FUZZ_INDEX_COMPLETE"] == "1"

    static func run(_ input: UnsafeRawBufferPointer) {
        let log = ReferenceLog.shared
        guard let mode = input.first else { return }
        var index = [UInt8](input.dropFirst())
        if mode & 1 == 0, index.count >= 4 {
            let checksum = TraceIndexLayout.checksum(index[0..<(index.count - 4)])
            withUnsafeBytes(of: checksum.littleEndian) { index.replaceSubrange((index.count - 4)..., with: $0) }
        }
        ScratchFolder.write(index, as: log.indexName)

        let traceID: String
        var range: (from: RecordTime, through: RecordTime)?
        switch (mode >> 1) & 3 {
        case 0: traceID = ReferenceLog.traceA
        case 1: traceID = ReferenceLog.traceB
        case 2:
            traceID = ReferenceLog.traceA
            range = (log.times[2], log.times[log.times.count - 3])
        default: traceID = ReferenceLog.absentTrace
        }

        if case .usable(let loaded) = TraceIndexFile.load(forLogFile: log.path) {
            let hash = TraceIDHash(hex: Array(traceID.utf8))!
            for block in loaded.blocks(mayHolding: hash, from: range?.from.nanosecondsSinceEpoch, through: range?.through.nanosecondsSinceEpoch) {
                require(block.offset < loaded.coveredBytes, "block at \(block.offset) past the \(loaded.coveredBytes) bytes covered")
            }
        }
        var scanner = LogScanner(files: [log.path], threads: 1) { _ in }
        let found = scanner.records(ofTrace: traceID, from: range?.from, through: range?.through)
        require(found.allSatisfy { $0.traceID == traceID }, "a search returned another trace's record")
        if self.checksKeepRecords {
            scanner.usesIndexes = false
            let all = scanner.records(ofTrace: traceID, from: range?.from, through: range?.through)
            require(Set(found.map(\.text)) == Set(all.map(\.text)), "the index hid records: \(found.count) found, \(all.count) in the file")
        }
    }
}

/// The small valid log file the index target's inputs describe: six gzip members of JSON
/// lines (two traces, rising times), written once per process, and the trace indexes SpanLog
/// makes for it.
struct ReferenceLog: Sendable {
    static let traceA = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let traceB = "0af7651916cd43dd8448eb211c80319c"
    static let absentTrace = "ffffffffffffffffffffffffffffff01"

    static let shared = ReferenceLog()

    let name = "checkout-20261202T100000Z-0001.jsonl.gz"
    var indexName: String { self.name + TraceIndexLayout.sidecarSuffix }
    let path: String
    /// The records' times, in file order.
    let times: [RecordTime]
    /// The index with one block per member, and the index with one block for the whole file.
    let indexPerMember: [UInt8]
    let indexWhole: [UInt8]

    init() {
        var times: [RecordTime] = []
        var file: [UInt8] = []
        let writer = GzipMemberWriter(level: 6)
        let start = RecordTime(rfc3339: "2026-12-02T10:00:00Z")!
        for member in 0..<6 {
            var lines = ""
            for line in 0..<3 {
                let time = start + RecordTime.seconds(Int64(member * 3 + line))
                times.append(time)
                let trace = (member + line) % 3 == 2 ? Self.traceB : Self.traceA
                lines += #"{"timestamp":"\#(time.rfc3339)","record":"log","level":"info","logger":"fuzz","# +
                    #""message":"member \#(member) line \#(line)","trace_id":"\#(trace)","span_id":"00f067aa0ba902b7"}"# + "\n"
            }
            file += writer.member(of: Array(lines.utf8))
        }
        self.times = times
        self.path = ScratchFolder.write(file, as: self.name)
        self.indexPerMember = Self.index(self.path, blockBytes: 1)
        self.indexWhole = Self.index(self.path, blockBytes: TraceIndexBuilder.blockBytes)
    }

    /// The index `TraceIndexer` writes for `path` with blocks of `blockBytes`.
    static func index(_ path: String, blockBytes: UInt64) -> [UInt8] {
        let outcome = TraceIndexer.index(file: path, force: true, blockBytes: blockBytes)
        guard let data = FileManager.default.contents(atPath: path + TraceIndexLayout.sidecarSuffix) else {
            fatalError("SpanLogFuzz: the reference log was not indexed: \(outcome)")
        }
        return [UInt8](data)
    }
}
