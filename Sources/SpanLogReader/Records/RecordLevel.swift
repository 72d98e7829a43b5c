/// A record's `level`, ordered from `trace` to `critical` (swift-log's names).
///
/// ```swift
/// RecordLevel("warning")! >= .info   // true
/// ```
public enum RecordLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case trace, debug, info, notice, warning, error, critical

    /// Parses a level name (case-insensitive); `warn` and `fatal` are accepted as aliases.
    public init?(_ name: String) {
        switch name.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "notice": self = .notice
        case "warning", "warn": self = .warning
        case "error": self = .error
        case "critical", "fatal": self = .critical
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .trace: return "trace"
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        case .critical: return "critical"
        }
    }

    public static func < (lhs: RecordLevel, rhs: RecordLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
