/// What an OTLP exporter has done since it started.
///
/// ```swift
/// let statistics = exporter.statistics
/// print(statistics.exportedItems, statistics.failedItems, statistics.retries)
/// ```
public struct OTLPExportStatistics: Sendable, Hashable {
    /// Requests the collector accepted.
    public var exportedBatches: UInt64 = 0
    /// Spans or log records in them.
    public var exportedItems: UInt64 = 0
    /// Requests given up on (retries exhausted, timeout, permanent error).
    public var failedBatches: UInt64 = 0
    /// Spans or log records in them.
    public var failedItems: UInt64 = 0
    /// Attempts made again after a transient failure.
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
