internal import SpanLogFormat

/// Which of a sink's files to delete when a new one starts: the oldest beyond
/// ``RotatingGzipFileSink/Configuration/retainFiles``, then those whose last record is older than
/// ``RotatingGzipFileSink/Configuration/retainDays`` (a file ends when the next one starts).
/// Never the active file.
///
/// ```swift
/// let retention = RetentionPolicy(retainFiles: 30, retainDays: 7)
/// for name in retention.expiredFiles(files, active: newest, now: .now()) { directory.remove(name) }
/// ```
struct RetentionPolicy: Equatable {
    /// How many files to keep, the active one included.
    var retainFiles: Int
    /// Files whose last record is older than this many days go; nil: no age limit.
    var retainDays: Int?

    /// The files of `files` to delete, in the order to delete them: by count (oldest first),
    /// then by age.
    func expiredFiles(_ files: [LogFileName], active: LogFileName, now: RecordTime) -> [LogFileName] {
        var expired: [LogFileName] = []
        var remaining = files.sorted()
        while remaining.count > self.retainFiles,
              let index = remaining.firstIndex(where: { $0 != active }) {
            expired.append(remaining.remove(at: index))
        }
        guard let days = self.retainDays else { return expired }
        let nowSeconds = UInt64(clamping: now.secondsAndFraction.seconds)
        let (maximumAge, tooOld) = UInt64(clamping: days).multipliedReportingOverflow(by: 86_400)
        if tooOld { return expired }
        var index = 0
        while index + 1 < remaining.count {
            let candidate = remaining[index]
            let endedAt = remaining[index + 1].seconds
            if candidate != active, nowSeconds > endedAt, nowSeconds - endedAt > maximumAge {
                expired.append(remaining.remove(at: index))
            } else {
                index += 1
            }
        }
        return expired
    }
}
