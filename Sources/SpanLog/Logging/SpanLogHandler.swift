public import Logging

/// A swift-log `LogHandler` that sends every record through a ``LogPipeline``: the current span's
/// ids are added, sensitive values redacted, and the record encoded once as a JSON line.
///
/// Metadata merges in swift-log's order: the handler's own metadata, then the metadata provider's,
/// then the call site's, each later one winning on a shared key. An error passed to the call is
/// written as `error.type` and `error.message`.
///
/// ```swift
/// let pipeline = LogPipeline(sinks: [ConsoleSink.standardOutput])
/// LoggingSystem.bootstrap { label in SpanLogHandler(label: label, pipeline: pipeline) }
/// let logger = Logger(label: "app")
/// logger.info("user logged in", metadata: ["user": "42"])
/// ```
public struct SpanLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// The pipeline records go through.
    public let pipeline: LogPipeline
    /// Starts at the pipeline's level for this label.
    public var logLevel: Logger.Level
    /// This handler's own metadata.
    public var metadata: Logger.Metadata
    /// Called for every record; its values sit between the handler's and the call site's.
    public var metadataProvider: Logger.MetadataProvider?

    /// Creates a handler for `label`. Without a `metadataProvider` it uses the one given to
    /// `LoggingSystem.bootstrap(_:metadataProvider:)`, as swift-log's own handlers do.
    public init(label: String, pipeline: LogPipeline, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.pipeline = pipeline
        self.logLevel = pipeline.levels.level(forLabel: label)
        self.metadata = [:]
        self.metadataProvider = metadataProvider
    }

    public func log(event: LogEvent) {
        self.pipeline.emit(
            LogRecord(
                timestamp: .now(),
                level: event.level,
                label: self.label,
                message: event.message,
                metadata: self.mergedMetadata(event.metadata),
                spanContext: nil,
                error: event.error,
                source: LogEventSource.explicit(in: event),
                file: event.file,
                function: event.function,
                line: event.line
            )
        )
    }

    /// Merges without allocating when only one of the three layers has values.
    @inline(__always)
    private func mergedMetadata(_ explicit: Logger.Metadata?) -> Logger.Metadata {
        var result = self.metadata
        if let provider = self.metadataProvider {
            let provided = provider.get()
            if !provided.isEmpty {
                if result.isEmpty {
                    result = provided
                } else {
                    result.merge(provided) { _, new in new }
                }
            }
        }
        if let explicit, !explicit.isEmpty {
            if result.isEmpty {
                result = explicit
            } else {
                result.merge(explicit) { _, new in new }
            }
        }
        return result
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }
}
