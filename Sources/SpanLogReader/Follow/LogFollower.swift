/// Follows the newest log file of a directory across rotations, like `tail -f`.
///
/// Each ``poll(_:)`` reads whatever was appended to the current file since the last poll: for a
/// gzip file, the complete members written since (a member still being written waits for the
/// next poll). When a newer file appears, the current one is read to its end and reading moves
/// to the next file in rotation order, from its beginning, so no record is missed or repeated.
///
/// ```swift
/// let follower = LogFollower(directory: "logs", initialLines: 10) { print($0) }
/// while true {
///     follower.poll { line in print(String(decoding: line, as: UTF8.self)) }
///     usleep(250_000)
/// }
/// ```
public final class LogFollower {
    /// The directory followed.
    public let directory: String
    /// The file being read, once there is one.
    public private(set) var currentFile: String?

    private let issues: ReadIssueHandler
    private var reader: LogFileReader?
    private var initialLines: Int?

    /// Creates a follower. The first poll hands out only the last `initialLines` lines of the
    /// newest file (all of them when `nil`); later polls hand out everything new.
    public init(directory: String, initialLines: Int? = 10, issues: @escaping ReadIssueHandler) {
        self.directory = directory
        self.initialLines = initialLines
        self.issues = issues
    }

    /// Reads what is new and hands each complete line (without its newline) to `body`. Returns
    /// the number of lines handed out.
    @discardableResult
    public func poll(_ body: (UnsafeRawBufferPointer) -> Void) -> Int {
        var count = 0
        let files = LogFileSet(paths: [self.directory])
        for issue in files.issues { self.issues(issue) }
        if self.reader == nil {
            guard let newest = files.files.last else {
                // Files that appear later are new: print them whole.
                self.initialLines = nil
                return 0
            }
            self.open(newest)
        }
        if let limit = self.initialLines {
            self.initialLines = nil
            var ring: [[UInt8]] = []
            self.drainCurrent(finish: false) { line in
                ring.append(Array(line))
                if ring.count > limit { ring.removeFirst(ring.count - limit) }
            }
            for line in ring {
                line.withUnsafeBytes(body)
                count += 1
            }
        } else {
            self.drainCurrent(finish: false) { line in
                body(line)
                count += 1
            }
        }
        // Move through newer files in order.
        while let current = self.currentFile, let index = files.files.firstIndex(of: current), index + 1 < files.files.count {
            self.drainCurrent(finish: true) { line in
                body(line)
                count += 1
            }
            self.open(files.files[index + 1])
            self.drainCurrent(finish: false) { line in
                body(line)
                count += 1
            }
        }
        // The current file was removed (retention) and newer ones exist: continue with the newest.
        if let current = self.currentFile, !files.files.contains(current), let newest = files.files.last,
           let currentKey = LogFileSet.rotationKey(Self.baseName(current)), let newestKey = LogFileSet.rotationKey(Self.baseName(newest)),
           (newestKey.time, newestKey.sequence) > (currentKey.time, currentKey.sequence) {
            self.drainCurrent(finish: true) { line in
                body(line)
                count += 1
            }
            self.open(newest)
            self.drainCurrent(finish: false) { line in
                body(line)
                count += 1
            }
        }
        return count
    }

    private static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    private func open(_ path: String) {
        self.currentFile = path
        do throws(ReadIssue) {
            self.reader = try LogFileReader(path: path, issues: self.issues)
        } catch {
            self.issues(error)
            self.reader = nil
        }
    }

    private func drainCurrent(finish: Bool, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard let reader = self.reader else { return }
        let consume: (UnsafeRawBufferPointer, UInt64) -> Void = { block, offset in
            LineSplitter.forEachLine(in: block, startingAt: offset) { line, _ in body(line) }
        }
        while reader.readAvailable(consume) > 0 {}
        if finish { reader.finish(consume) }
    }
}
