public import Logging

/// The minimum level of each logger, chosen by label: a default plus overrides for labels and
/// label prefixes (`"db"` covers `"db"` and `"db.pool"`, the longest match wins).
///
/// `SpanLogHandler` takes its initial `logLevel` from here, so `Logger` discards a record below
/// it before the message is even built (no allocation), and `logger.logLevel = …` still changes
/// one logger at run time, as swift-log documents.
///
/// ```swift
/// let levels = LevelFilter(default: .info, overrides: ["db": .debug, "http.access": .warning])
/// levels.level(forLabel: "db.pool")  // .debug
/// ```
public struct LevelFilter: Sendable, Equatable {
    /// The level of labels without an override.
    public var defaultLevel: Logger.Level
    /// Per-label (or label-prefix, on `.` boundaries) levels.
    public var overrides: [String: Logger.Level]

    /// Creates a level filter.
    public init(default defaultLevel: Logger.Level = .info, overrides: [String: Logger.Level] = [:]) {
        self.defaultLevel = defaultLevel
        self.overrides = overrides
    }

    /// The level for a logger label.
    public func level(forLabel label: String) -> Logger.Level {
        if self.overrides.isEmpty { return self.defaultLevel }
        if let exact = self.overrides[label] { return exact }
        var best: (length: Int, level: Logger.Level)?
        for (prefix, level) in self.overrides
        where label.hasPrefix(prefix) && label.utf8.dropFirst(prefix.utf8.count).first == UInt8(ascii: ".") {
            if best == nil || prefix.utf8.count > best!.length {
                best = (prefix.utf8.count, level)
            }
        }
        return best?.level ?? self.defaultLevel
    }

    /// Whether a record of `level` from `label` passes.
    public func allows(_ level: Logger.Level, label: String) -> Bool {
        level >= self.level(forLabel: label)
    }
}
