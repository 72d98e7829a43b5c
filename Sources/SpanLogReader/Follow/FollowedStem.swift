internal import SpanLogFormat

/// How `tail -f` groups a directory's files: by the stem of their rotated name (base and
/// extension of `<base>-<stamp>-<seq><extension>`, the file sink's names), one group per
/// service; every other name in one more group ordered by modification time. Within a group the
/// files keep their reading order (``LogFileSet``), oldest first.
///
/// ```swift
/// FollowedStem.key(ofFile: "logs/api-20261125T150000Z-0001.jsonl.gz")   // "api|.jsonl.gz"
/// FollowedStem.key(ofFile: "logs/app.jsonl")                            // "" (not rotated)
/// ```
enum FollowedStem {
    /// The group of a file: `<base>|<extension>` of a rotated name, "" for any other name.
    static func key(ofFile path: String) -> String {
        guard let parsed = LogFileName.parse(Self.fileName(path)) else { return "" }
        return "\(parsed.base)|\(parsed.extension)"
    }

    /// `files` (in reading order) grouped by ``key(ofFile:)``, each group in reading order.
    static func group(_ files: [String]) -> [String: [String]] {
        var groups: [String: [String]] = [:]
        for file in files { groups[Self.key(ofFile: file), default: []].append(file) }
        return groups
    }

    /// The file that follows `path` in its group: the first of `files` (the group, in reading
    /// order) that sorts after it. For rotated names that is decided by the stamp and sequence
    /// in the names, so it holds even when `path` itself is gone (retention); for other names by
    /// the position in the listing, or the newest file when `path` is gone.
    static func successor(of path: String, in files: [String], key: String) -> String? {
        if key.isEmpty {
            guard let index = files.firstIndex(of: path) else { return files.last }
            return index + 1 < files.count ? files[index + 1] : nil
        }
        guard let current = LogFileName.parse(Self.fileName(path))?.name else { return nil }
        return files.first { file in
            guard let name = LogFileName.parse(Self.fileName(file))?.name else { return false }
            return current < name
        }
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
