/// A problem met while reading: damaged data the reader skipped (a warning; reading goes on) or
/// a file it could not read at all (an error).
///
/// ```swift
/// let issue = ReadIssue(path: "app.jsonl.gz", offset: 4096, severity: .warning, message: "truncated gzip member")
/// print(issue)   // spanlog: app.jsonl.gz: offset 4096: truncated gzip member
/// ```
public struct ReadIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// How bad it is.
    ///
    /// ```swift
    /// let failed = issues.contains { $0.severity == .error }
    /// ```
    public enum Severity: Sendable, Hashable {
        /// Some data was skipped; everything else was read.
        case warning
        /// The file (or path) could not be read.
        case error
    }

    /// The file.
    public var path: String
    /// Byte offset in the file where the problem starts (compressed offset for gzip damage,
    /// decompressed offset for a malformed line), if it has one.
    public var offset: UInt64?
    /// Warning or error.
    public var severity: Severity
    /// What happened, in one line.
    public var message: String

    /// Creates an issue.
    public init(path: String, offset: UInt64?, severity: Severity, message: String) {
        self.path = path
        self.offset = offset
        self.severity = severity
        self.message = message
    }

    public var description: String {
        if let offset = self.offset {
            return "spanlog: \(self.path): offset \(offset): \(self.message)"
        }
        return "spanlog: \(self.path): \(self.message)"
    }
}

/// Receives the issues of a read as they happen; called from the reading threads.
public typealias ReadIssueHandler = @Sendable (ReadIssue) -> Void
