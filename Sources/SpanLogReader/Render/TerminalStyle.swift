/// ANSI styling for terminal output, switched off entirely when not writing to a terminal.
///
/// ```swift
/// let style = TerminalStyle(enabled: true)
/// print(style.paint("failed", .red))
/// ```
public struct TerminalStyle: Sendable {
    /// The colours and attributes used.
    ///
    /// ```swift
    /// style.paint("ok", .green)
    /// ```
    public enum Attribute: String, Sendable {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case blue = "34"
        case magenta = "35"
        case cyan = "36"
        case gray = "90"
        case boldRed = "1;31"
    }

    /// When `false`, ``paint(_:_:)`` returns the text unchanged.
    public var enabled: Bool

    /// Creates a style.
    public init(enabled: Bool) {
        self.enabled = enabled
    }

    /// `text` wrapped in the escape codes of `attribute`.
    public func paint(_ text: String, _ attribute: Attribute) -> String {
        self.enabled ? "\u{1B}[\(attribute.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// The colour of a level.
    public static func attribute(for level: RecordLevel?) -> Attribute {
        switch level {
        case .trace?, .debug?: return .gray
        case .info?, nil: return .green
        case .notice?: return .cyan
        case .warning?: return .yellow
        case .error?: return .red
        case .critical?: return .boldRed
        }
    }
}
