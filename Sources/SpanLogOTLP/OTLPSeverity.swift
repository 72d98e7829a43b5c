public import Logging

/// How swift-log levels map to OTLP severities. The number follows the OpenTelemetry log data
/// model's ranges; the text is the level's own name, upper-cased (the spec's "severity as known
/// at the source"):
///
/// | swift-log | `severity_number` | `severity_text` |
/// |---|---|---|
/// | trace | 1 (TRACE) | TRACE |
/// | debug | 5 (DEBUG) | DEBUG |
/// | info | 9 (INFO) | INFO |
/// | notice | 10 (INFO2) | NOTICE |
/// | warning | 13 (WARN) | WARNING |
/// | error | 17 (ERROR) | ERROR |
/// | critical | 21 (FATAL) | CRITICAL |
///
/// ```swift
/// print(OTLPSeverity(.notice).number)  // 10
/// ```
public struct OTLPSeverity: Sendable, Hashable {
    /// `SeverityNumber`.
    public let number: Int
    /// `severity_text`.
    public let text: String

    /// The severity for a swift-log level.
    public init(_ level: Logger.Level) {
        switch level {
        case .trace: (self.number, self.text) = (1, "TRACE")
        case .debug: (self.number, self.text) = (5, "DEBUG")
        case .info: (self.number, self.text) = (9, "INFO")
        case .notice: (self.number, self.text) = (10, "NOTICE")
        case .warning: (self.number, self.text) = (13, "WARNING")
        case .error: (self.number, self.text) = (17, "ERROR")
        case .critical: (self.number, self.text) = (21, "CRITICAL")
        }
    }
}
