/// What a ``RedactionFilter`` leaves of a logged error whose message its rules name
/// (`error.message`): the error's type name, and `[REDACTED]` as its description.
///
/// ```swift
/// let filter = RedactionFilter(keys: ["error.message"])
/// // logger.error("failed", error: DatabaseError.auth("pw=hunter2"))
/// // → "error.type":"App.DatabaseError","error.message":"[REDACTED]"
/// ```
public struct RedactedError: Error, CustomStringConvertible, Sendable {
    /// The original error's type, as `String(reflecting:)` names it.
    public let typeName: String
    public var description: String { Self.replacementText }

    /// What stands in for a redacted value or message.
    static let replacementText = "[REDACTED]"

    /// Stands in for `error`.
    public init(redacting error: any Error) {
        self.typeName = (error as? RedactedError)?.typeName ?? String(reflecting: type(of: error))
    }
}

extension LogRecord {
    /// The logged error's type name (the original's, for a ``RedactedError``).
    package var errorTypeName: String? {
        guard let error = self.error else { return nil }
        return (error as? RedactedError)?.typeName ?? String(reflecting: type(of: error))
    }
}
