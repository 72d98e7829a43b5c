public import Logging

/// One log record on its way through a ``LogPipeline``: what `SpanLogHandler` made of a
/// `Logger` call, before filters and the encoder see it.
///
/// Filters receive it `inout` and may change any field.
///
/// ```swift
/// struct DropHealthChecks: LogFilter {
///     func process(_ record: inout LogRecord) -> Bool {
///         record.metadata["route"] != "/health"
///     }
/// }
/// ```
public struct LogRecord: Sendable {
    /// When the record was made (read once, on the caller's thread).
    public var timestamp: RecordTime
    /// swift-log's level.
    public var level: Logger.Level
    /// The logger's label.
    public var label: String
    /// The message.
    public var message: Logger.Message
    /// Handler metadata, metadata-provider values and call-site metadata, merged in swift-log's
    /// documented order (later wins).
    public var metadata: Logger.Metadata
    /// The span context the record was made in; set by ``TraceIdFilter``.
    public var spanContext: SpanContext?
    /// The error passed to the log call, if any; written as `error.type` and `error.message`.
    public var error: (any Error)?
    /// swift-log's `source` when the call site named one (`logger.info("…", source: "db")`);
    /// `nil` for swift-log's default, the module of ``file``, which the encoders write from
    /// `file` itself without making a string.
    public var source: String?
    /// The call site (`#fileID`: `Module/File.swift`).
    public var file: String
    /// The call site.
    public var function: String
    /// The call site.
    public var line: UInt

    /// Creates a record.
    public init(
        timestamp: RecordTime = .now(),
        level: Logger.Level,
        label: String,
        message: Logger.Message,
        metadata: Logger.Metadata = [:],
        spanContext: SpanContext? = nil,
        error: (any Error)? = nil,
        source: String? = nil,
        file: String = #fileID,
        function: String = #function,
        line: UInt = #line
    ) {
        self.timestamp = timestamp
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
        self.spanContext = spanContext
        self.error = error
        self.source = source
        self.file = file
        self.function = function
        self.line = line
    }
}
