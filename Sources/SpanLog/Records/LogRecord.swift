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

extension LogRecord {
    /// swift-log's `source` as written: the explicit one, else the default, the module part of
    /// ``file`` (`"n/a"` when it has no `/`). Makes a string; the encoders write the default from
    /// the bytes of `file` instead (``withDefaultSource(of:_:)``).
    package var resolvedSource: String {
        self.source ?? Self.withDefaultSource(of: self.file) { module in
            module.map { String(decoding: $0, as: UTF8.self) } ?? "n/a"
        }
    }

    /// Hands `body` the bytes of swift-log's default source in a `#fileID` — those before its
    /// first `/` — or nil when there is none (swift-log then says `"n/a"`).
    @inline(__always)
    package static func withDefaultSource<Result>(of file: String, _ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
        var file = file
        return file.withUTF8 { utf8 in
            body(utf8.firstIndex(of: UInt8(ascii: "/")).map { UnsafeBufferPointer(rebasing: utf8[..<$0]) })
        }
    }
}
