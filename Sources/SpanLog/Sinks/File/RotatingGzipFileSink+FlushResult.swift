extension RotatingGzipFileSink {
    /// What ``RotatingGzipFileSink/flush(fsync:)`` achieved.
    ///
    /// ```swift
    /// switch sink.flush(fsync: true) {
    /// case .completed: acknowledge()
    /// case .failed(let reason): log(reason)      // a sync failed, or an outage dropped records
    /// case .timedOut: retryLater()               // the writer is stuck (a hung NFS write)
    /// }
    /// ```
    public enum FlushResult: Sendable, Equatable {
        /// Every record written before the flush is in a file as whole gzip members (with
        /// `fsync`: on stable storage).
        case completed
        /// Not every record made it: a sync failed (now, or earlier without a durable flush
        /// waiting), or an outage dropped records; `reason` says what failed.
        case failed(reason: String)
        /// The writer did not finish the flush within the time allowed; the records may still be
        /// written later.
        case timedOut
    }
}
