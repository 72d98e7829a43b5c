/// What an OTLP exporter has done since it started.
///
/// ```swift
/// let statistics = exporter.statistics
/// print(statistics.exportedItems, statistics.failedItems, statistics.retries)
/// ```
public struct OTLPExportStatistics: Sendable, Hashable {
    /// Requests the collector accepted.
    public var exportedBatches: UInt64 = 0
    /// Spans, log records or data points in them that the collector took (those its
    /// `partial_success` rejected are not counted here but in ``rejectedItems``).
    public var exportedItems: UInt64 = 0
    /// Items of accepted requests the collector rejected (`partial_success`'s
    /// `rejected_spans` / `rejected_log_records` / `rejected_data_points`).
    public var rejectedItems: UInt64 = 0
    /// The collector's most recent `partial_success` message (made printable, at most 200
    /// characters); a message with nothing rejected is a warning from the collector.
    public var lastRejectionMessage: String?
    /// Successful replies whose body was not a readable export response (their items are
    /// counted as exported).
    public var unreadableReplies: UInt64 = 0
    /// Calls of the configuration's ``OTLPHeaderProvider``.
    public var headerRefreshes: UInt64 = 0
    /// Of those, calls that threw or did not answer before the export's deadline.
    public var headerRefreshFailures: UInt64 = 0
    /// Requests given up on (retries exhausted, timeout, permanent error).
    public var failedBatches: UInt64 = 0
    /// Spans or log records in them.
    public var failedItems: UInt64 = 0
    /// Attempts made again after a transient failure, or once with fresh headers after the
    /// collector refused the credentials.
    public var retries: UInt64 = 0
    /// Log records dropped because the log exporter's queue was full (0 for spans: the batch
    /// span processor counts those).
    public var droppedItems: UInt64 = 0
    /// Retry delays the collector sent that were not usable (a malformed or out-of-range
    /// `Retry-After` or gRPC `RetryInfo`): ignored, the exporter's own backoff used instead.
    public var ignoredRetryDelays: UInt64 = 0
    /// The most recent failure's reason.
    public var lastError: String?

    /// Creates zeroed counters.
    public init() {}
}
