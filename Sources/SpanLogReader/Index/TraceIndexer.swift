internal import SpanLogFormat
import Synchronization
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Builds trace indexes (`<file>.idx`, docs/format.md) for gzip log files that lack a usable
/// one: files from before indexes existed, from a process that was killed before it closed its
/// file, or written by another tool. This is what `spanlog index` runs.
///
/// ```swift
/// for (path, outcome) in zip(files, TraceIndexer.index(files: files)) {
///     print(path, outcome)
/// }
/// ```
package enum TraceIndexer {
    /// What happened to one file.
    package enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// A new index was written, covering this many records and compressed bytes.
        case written(records: UInt64, coveredBytes: UInt64)
        /// The file already has an index that covers all of it (and `force` was not given).
        case upToDate
        /// The file cannot be indexed (plain text, damaged gzip data); readers read it in full.
        case notIndexed(String)
        /// The file or its index could not be read or written.
        case failed(String)

        package var description: String {
            switch self {
            case .written(let records, let bytes): return "indexed (\(records) records, \(bytes) bytes)"
            case .upToDate: return "index up to date"
            case .notIndexed(let reason): return "not indexed: \(reason)"
            case .failed(let reason): return "failed: \(reason)"
            }
        }
    }

    /// Indexes `files` on up to `threads` threads; outcomes in the order of `files` (a path
    /// named twice is indexed once). With `force`, files whose index is up to date are indexed
    /// again. First removes the temporary index files that dead processes left in the files'
    /// directories (`<file>.idx.tmp-<pid>`, docs/format.md).
    package static func index(files: [String], force: Bool = false, threads: Int = 2) -> [Outcome] {
        for directory in Set(files.map(TraceIndexFile.directory(of:))).sorted() {
            TraceIndexFile.removeStaleTemporaryFiles(inDirectory: directory)
        }
        var distinct: [String] = []
        var position: [String: Int] = [:]
        for file in files where position[file] == nil {
            position[file] = distinct.count
            distinct.append(file)
        }
        let unique = distinct
        let outcomes = Mutex<[Outcome?]>(Array(repeating: nil, count: unique.count))
        let next = Atomic<Int>(0)
        ParallelWorkers.run(count: min(max(threads, 1), unique.count)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < unique.count else { return }
                let outcome = Self.index(file: unique[index], force: force)
                outcomes.withLock { $0[index] = outcome }
            }
        }
        let results = outcomes.withLock { $0 }
        return files.map { results[position[$0]!] ?? .failed("not processed") }
    }

    /// Indexes one file.
    package static func index(file path: String, force: Bool = false) -> Outcome {
        Self.index(file: path, force: force, blockBytes: TraceIndexBuilder.blockBytes)
    }

    static func index(file path: String, force: Bool, blockBytes: UInt64) -> Outcome {
        var status = stat()
        guard stat(path, &status) == 0 else { return .failed(LogFileReader.describeErrno(errno)) }
        if !force, case .usable(let existing) = TraceIndexFile.load(forLogFile: path), existing.coveredBytes == UInt64(status.st_size) {
            return .upToDate
        }
        let firstProblem = Mutex<ReadIssue?>(nil)
        let reader: LogFileReader
        do throws(ReadIssue) {
            reader = try LogFileReader(path: path) { issue in firstProblem.withLock { $0 = $0 ?? issue } }
        } catch {
            return .failed(error.message)
        }
        var builder = TraceIndexBuilder(blockBytes: blockBytes)
        var digest = RecordDigest()
        var coveredEnd: UInt64 = 0
        var misaligned = false
        reader.memberEnded = { end, endsWithWholeLine in
            if !endsWithWholeLine { misaligned = true }
            builder.appendMember(digest, compressedLength: end - coveredEnd)
            coveredEnd = end
            digest = RecordDigest()
        }
        let consume: (UnsafeRawBufferPointer, UInt64) -> Void = { lines, _ in digest.add(lines) }
        while reader.readAvailable(consume) > 0 {}
        reader.finish(consume)
        reader.memberEnded = nil

        if let problem = firstProblem.withLock({ $0 }) {
            let place = problem.offset.map { " at offset \($0)" } ?? ""
            return .notIndexed("\(problem.message)\(place); it is read in full")
        }
        guard reader.isGzip else { return .notIndexed("not gzip (plain files are always read in full)") }
        guard !misaligned else { return .notIndexed("its gzip members do not end at line ends; it is read in full") }
        guard !builder.isEmpty else { return .notIndexed("no whole gzip member") }
        var tail = [UInt8](repeating: 0, count: 8)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failed(LogFileReader.describeErrno(errno)) }
        let read = tail.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 8, off_t(coveredEnd - 8)) }
        close(descriptor)
        guard read == 8 else { return .failed("cannot read the file's last member") }
        let records = builder.records
        if let failure = TraceIndexFile.store(builder.serialized(coveredTail: tail), forLogFile: path) {
            return .failed(failure)
        }
        return .written(records: records, coveredBytes: coveredEnd)
    }
}
