public import Logging

extension SpanContext {
    /// The current span's `trace_id` and `span_id` as logging metadata, or empty metadata outside
    /// a span (the seed's `get_structured_log_context`).
    ///
    /// ```swift
    /// logger.info("Processing request", metadata: SpanContext.logMetadata())
    /// // {"message":"Processing request","trace_id":"4bf9…","span_id":"00f0…", …}
    /// ```
    public static func logMetadata() -> Logger.Metadata {
        guard let context = SpanContext.current else { return [:] }
        return [
            "trace_id": .string(context.traceID.description),
            "span_id": .string(context.spanID.description),
        ]
    }
}

extension Logger.MetadataProvider {
    /// Adds the current span's `trace_id` and `span_id` to every record, so that loggers with any
    /// other handler get trace correlation too.
    ///
    /// ```swift
    /// LoggingSystem.bootstrap(StreamLogHandler.standardOutput, metadataProvider: .spanLog)
    /// ```
    public static let spanLog = Logger.MetadataProvider { SpanContext.logMetadata() }
}
