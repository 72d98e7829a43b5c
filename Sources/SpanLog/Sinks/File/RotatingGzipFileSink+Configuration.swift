extension RotatingGzipFileSink {
    /// How a ``RotatingGzipFileSink`` names, rotates, keeps and writes its files.
    ///
    /// Every field has the default documented in `docs/operations.md`; out-of-range values are
    /// clamped by the sink (a level of 12 is 9, a flush interval of 0 ms is 1 ms).
    ///
    /// ```swift
    /// var configuration = RotatingGzipFileSink.Configuration(directory: "/var/log/app", fileName: "app")
    /// configuration.rotateBytes = 16 << 20
    /// configuration.rotateInterval = .hourly
    /// configuration.retainDays = 7
    /// let sink = RotatingGzipFileSink(configuration: configuration)
    /// ```
    public struct Configuration: Sendable, Equatable {
        /// When a file is closed and the next one started, besides the size limit.
        ///
        /// ```swift
        /// configuration.rotateInterval = .hourly  // a new file at every full UTC hour
        /// ```
        public enum RotateInterval: String, Sendable, CaseIterable {
            /// Rotate by size only.
            case none
            /// At every full hour, UTC.
            case hourly
            /// At every midnight, UTC.
            case daily
        }

        /// The directory the files are written to; created (mode 0750) when missing.
        public var directory: String
        /// The files' common name: files are `<fileName>-<UTC start>-<sequence>.jsonl.gz`.
        public var fileName: String
        /// A file is closed once its size on disk reaches this many bytes (at the end of the
        /// gzip member that crosses it). Default 64 MiB; at least 4096.
        public var rotateBytes: Int
        /// Time-based rotation at UTC boundaries. Default ``RotateInterval/daily``.
        public var rotateInterval: RotateInterval
        /// How many files to keep, the active one included; the oldest are deleted first.
        /// Default 30.
        public var retainFiles: Int
        /// Files whose last record is older than this many days are deleted; nil keeps files
        /// regardless of age (the default).
        public var retainDays: Int?
        /// How long records may wait in memory before they are written as a gzip member: what a
        /// crash can lose. Default 1000 ms; 1 ms to an hour.
        public var flushIntervalMilliseconds: Int
        /// zlib level 1 (fastest) to 9 (smallest). The default, 1, was chosen by measurement
        /// (see `docs/performance.md`).
        public var gzipLevel: Int
        /// What a logging caller does when the queue is full. Default ``QueuePolicy/block``.
        public var queuePolicy: QueuePolicy
        /// Bytes of records that may wait for the writer thread. Default 4 MiB.
        public var queueBytes: Int
        /// `fsync` the file after every flush (each flush interval and every ``RotatingGzipFileSink/flush()``).
        /// Default false: a process crash loses at most one flush window either way; `fsync`
        /// also protects against a machine crash, at the cost of a disk sync per flush.
        public var fsyncOnFlush: Bool
        /// How long an outage (disk full, I/O error, directory gone) may hold back logging
        /// callers with the `block` policy. After that the writer takes records off the queue
        /// and drops (and counts) them until it can write again, so no caller waits forever; a
        /// writer stuck in a system call (a `write(2)` that hangs on a hard NFS mount) holds them
        /// no longer either. Default 10 000 ms; 0 to a day.
        public var outageBlockLimitMilliseconds: Int
        /// Write a trace index (`<file>.idx`, docs/format.md) beside each file when it is closed,
        /// so `spanlog grep` and `spanlog trace` read only the parts of it that can hold a trace.
        /// Default true.
        public var writesTraceIndex: Bool
        /// Uncompressed bytes per trace-index block (tests make it small).
        var traceIndexBlockBytes = 1 << 20
        /// Start files unnamed (`O_TMPFILE`) and name them after their first write, where the
        /// system allows; tests switch it off to exercise the named-file path.
        var usesUnnamedFiles = true

        /// The defaults, for `directory` and `fileName`.
        public init(
            directory: String,
            fileName: String,
            rotateBytes: Int = 64 << 20,
            rotateInterval: RotateInterval = .daily,
            retainFiles: Int = 30,
            retainDays: Int? = nil,
            flushIntervalMilliseconds: Int = 1000,
            gzipLevel: Int = 1,
            queuePolicy: QueuePolicy = .block,
            queueBytes: Int = 4 << 20,
            fsyncOnFlush: Bool = false,
            outageBlockLimitMilliseconds: Int = 10_000,
            writesTraceIndex: Bool = true
        ) {
            self.directory = directory
            self.fileName = fileName
            self.rotateBytes = rotateBytes
            self.rotateInterval = rotateInterval
            self.retainFiles = retainFiles
            self.retainDays = retainDays
            self.flushIntervalMilliseconds = flushIntervalMilliseconds
            self.gzipLevel = gzipLevel
            self.queuePolicy = queuePolicy
            self.queueBytes = queueBytes
            self.fsyncOnFlush = fsyncOnFlush
            self.outageBlockLimitMilliseconds = outageBlockLimitMilliseconds
            self.writesTraceIndex = writesTraceIndex
        }

        /// The values the sink actually uses: each field clamped to its valid range.
        var normalized: Configuration {
            var copy = self
            copy.fileName = Self.isValidFileName(copy.fileName) ? copy.fileName : "spanlog"
            copy.rotateBytes = max(copy.rotateBytes, 4096)
            copy.retainFiles = max(copy.retainFiles, 1)
            copy.retainDays = copy.retainDays.map { max($0, 1) }
            copy.flushIntervalMilliseconds = min(max(copy.flushIntervalMilliseconds, 1), 3_600_000)
            copy.gzipLevel = min(max(copy.gzipLevel, 1), 9)
            copy.queueBytes = max(copy.queueBytes, 4096)
            copy.outageBlockLimitMilliseconds = min(max(copy.outageBlockLimitMilliseconds, 0), 86_400_000)
            return copy
        }

        /// A usable file name: not empty, no `/`, no NUL, not `.` or `..`.
        static func isValidFileName(_ name: String) -> Bool {
            !name.isEmpty && name != "." && name != ".." && !name.utf8.contains(UInt8(ascii: "/"))
                && !name.utf8.contains(0)
        }
    }
}
