public import Logging

/// The current span's `trace_id` and `span_id` as logging metadata, or empty metadata outside a
/// span (the seed's `get_structured_log_context`).
///
/// ```swift
/// logger.info("Processing request", metadata: logContext())
/// // {"message":"Processing request","trace_id":"4bf9…","span_id":"00f0…", …}
/// ```
public func logContext() -> Logger.Metadata {
    guard let context = SpanContext.current else { return [:] }
    return [
        "trace_id": .string(context.traceID.description),
        "span_id": .string(context.spanID.description),
    ]
}

/// A metadata provider that adds the current span's `trace_id` and `span_id`, so that loggers
/// with any other handler get trace correlation too. Use it as `SpanLog.metadataProvider`.
///
/// ```swift
/// LoggingSystem.bootstrap(StreamLogHandler.standardOutput, metadataProvider: SpanLog.metadataProvider)
/// ```
public let metadataProvider = Logger.MetadataProvider { logContext() }
