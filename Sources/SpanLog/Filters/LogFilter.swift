/// A step of a ``LogPipeline`` that sees every record before it is encoded, on the caller's
/// thread. Return `false` to drop the record.
///
/// Filters run synchronously inside `Logger.log`: keep them free of I/O, locks held for long,
/// and allocation on the common path.
///
/// ```swift
/// struct AddRegion: LogFilter {
///     func process(_ record: inout LogRecord) -> Bool {
///         record.metadata["region"] = "eu-west-1"
///         return true
///     }
/// }
/// ```
public protocol LogFilter: Sendable {
    /// Changes `record` as needed; returns `false` to drop it.
    func process(_ record: inout LogRecord) -> Bool
}
