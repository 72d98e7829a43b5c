/// Follows the newest log file of every service in a directory across rotations, like `tail -f`.
///
/// Files are grouped by the stem of their rotated name (`<base>-<stamp>-<seq><extension>`: the
/// same base and extension; ``FollowedStem``); files whose names do not follow that grammar form
/// one more group, in modification-time order. Each group is followed on its own: its newest
/// file is read as it grows, and only when a newer file *of the same group* appears is the
/// current one read to its end and reading moved to the next one, from its beginning — so
/// several services sharing a directory each keep their active file, and no record is missed or
/// repeated.
///
/// Each ``poll(_:)`` reads whatever was appended since the last poll: for a gzip file, the
/// complete members written since (a member still being written waits for the next poll).
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
    /// The newest file being read, once there is one.
    public var currentFile: String? {
        self.followed.values.map(\.path).max { lhs, rhs in
            (self.order[lhs] ?? -1) < (self.order[rhs] ?? -1)
        }
    }
    /// Every file being read: one per group (service), in name order of the groups.
    public var followedFiles: [String] {
        self.followed.keys.sorted().compactMap { self.followed[$0]?.path }
    }

    private let issues: ReadIssueHandler
    private var initialLines: Int?
    /// Whether the first poll has run.
    private var started = false
    /// The file being read for each group, by group key.
    private var followed: [String: FollowedFile] = [:]
    /// The position of each listed file in the last listing (for "newest").
    private var order: [String: Int] = [:]

    /// One group's current file and its reader.
    private struct FollowedFile {
        var path: String
        /// Nil when the file could not be opened (reported).
        var reader: LogFileReader?
    }

    /// Creates a follower. The first poll hands out only the last `initialLines` lines of the
    /// newest file of each group (all of them when `nil`); later polls hand out everything new,
    /// including the whole of files (and groups) that appear later.
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
        func emit(_ line: UnsafeRawBufferPointer) {
            body(line)
            count += 1
        }
        let listing = LogFileSet(paths: [self.directory])
        for issue in listing.issues { self.issues(issue) }
        self.order = Dictionary(listing.files.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let groups = FollowedStem.group(listing.files)
        if !self.started {
            self.started = true
            guard !groups.isEmpty else {
                // Files that appear later are new: print them whole (from each group's oldest).
                self.initialLines = nil
                return 0
            }
            // Each group starts at its newest file: its last lines (or all of them), groups in
            // the order of their newest file, so the newest lines come last.
            let starting = groups.sorted { (self.order[$0.value.last!] ?? 0) < (self.order[$1.value.last!] ?? 0) }
            for (key, files) in starting {
                self.open(files.last!, as: key)
                guard let limit = self.initialLines else {
                    self.drain(key, finish: false, emit)
                    continue
                }
                var ring: [[UInt8]] = []
                ring.reserveCapacity(min(limit, 1024) + 1)
                self.drain(key, finish: false) { line in
                    guard limit > 0 else { return }
                    ring.append(Array(line))
                    if ring.count > limit { ring.removeFirst(ring.count - limit) }
                }
                for line in ring { line.withUnsafeBytes(emit) }
            }
            self.initialLines = nil
        }
        for key in Set(groups.keys).union(self.followed.keys).sorted() {
            self.advance(key, files: groups[key] ?? [], listed: listing.issues.isEmpty, emit)
        }
        return count
    }

    /// Reads the group's current file, then each newer file of the group in turn, each to its
    /// end before the next. A group that appears after the first poll is new: it starts at its
    /// oldest file. A group whose files are all gone (`listed`: the listing itself worked) is read
    /// to the end of its open file and let go.
    private func advance(_ key: String, files: [String], listed: Bool, _ emit: (UnsafeRawBufferPointer) -> Void) {
        if self.followed[key]?.path == nil {
            guard let oldest = files.first else { return }
            self.open(oldest, as: key)
        }
        guard var path = self.followed[key]?.path else { return }
        self.drain(key, finish: false, emit)
        while let next = FollowedStem.successor(of: path, in: files, key: key) {
            self.drain(key, finish: true, emit)
            self.open(next, as: key)
            self.drain(key, finish: false, emit)
            path = next
        }
        if files.isEmpty, listed {
            self.drain(key, finish: true, emit)
            self.followed[key] = nil
        }
    }

    private func open(_ path: String, as key: String) {
        do throws(ReadIssue) {
            self.followed[key] = FollowedFile(path: path, reader: try LogFileReader(path: path, issues: self.issues))
        } catch {
            self.issues(error)
            self.followed[key] = FollowedFile(path: path, reader: nil)
        }
    }

    private func drain(_ key: String, finish: Bool, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard let reader = self.followed[key]?.reader else { return }
        let consume: (UnsafeRawBufferPointer, UInt64) -> Void = { block, offset in
            LineSplitter.forEachLine(in: block, startingAt: offset) { line, _ in body(line) }
        }
        while reader.readAvailable(consume) > 0 {}
        if finish { reader.finish(consume) }
    }
}
