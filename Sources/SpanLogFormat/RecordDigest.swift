internal import CSpanLogFormat

/// What a trace index needs to know about a run of whole JSON-lines records: the trace ids they
/// carry, how many there are, how many bytes, and their earliest and latest `timestamp`.
///
/// Extraction is byte-level, not a JSON parse, so that the file sink can afford it for every
/// record (`spanlog_digest_lines`, C): a trace id is the 32 characters in every
/// `"trace_id": "<id>"` of a line (any key `"trace_id"`, nested ones too: an extra id only costs
/// a false positive, never a miss); a time is the fixed-width
/// `"timestamp":"YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ"` that opens every SpanLog record. A line that
/// does not open that way makes the run's time range unknown, so a time query never skips it.
///
/// ```swift
/// var digest = RecordDigest()
/// line.withUnsafeBytes { digest.add($0) }   // whole lines, each ending in "\n"
/// digest.records                               // 1
/// ```
package struct RecordDigest: Sendable {
    /// Trace ids seen, in order (immediate repeats once).
    package private(set) var ids: [TraceIDHash] = []
    package private(set) var records: UInt64 = 0
    package private(set) var bytes: UInt64 = 0
    /// Earliest and latest timestamp (Unix nanoseconds); nil when no record had one.
    package private(set) var timeRange: (earliest: Int64, latest: Int64)?
    /// Some record's time could not be read: the run has no usable range.
    package private(set) var timeUnknown = false

    package init() {}

    /// Adds whole lines (the last one may lack its newline).
    package mutating func add(_ lines: UnsafeRawBufferPointer) {
        guard let base = lines.baseAddress, lines.count > 0 else { return }
        self.bytes += UInt64(lines.count)
        var digest = spanlog_digest()
        let capacity = lines.count / 10 + 1
        withUnsafeTemporaryAllocation(of: spanlog_trace_hash.self, capacity: capacity) { found in
            let count = spanlog_digest_lines(base.assumingMemoryBound(to: UInt8.self), lines.count, &digest, found.baseAddress!)
            self.ids.reserveCapacity(self.ids.count + count)
            for index in 0..<count {
                self.ids.append(TraceIDHash(first: found[index].first, second: found[index].second))
            }
        }
        self.records += digest.records
        var range: (earliest: Int64, latest: Int64)?
        var unknown = digest.time_unknown != 0
        if digest.has_time != 0 {
            let earliest = withUnsafeBytes(of: digest.earliest) { RecordTime.fixedWidthNanoseconds(at: $0.baseAddress!) }
            let latest = withUnsafeBytes(of: digest.latest) { RecordTime.fixedWidthNanoseconds(at: $0.baseAddress!) }
            if let earliest, let latest {
                range = (earliest, latest)
            } else {
                unknown = true  // a malformed stamp sorted first or last
            }
        }
        self.mergeTime(range, unknown: unknown)
    }

    /// Merges another run (which followed this one) into this one.
    package mutating func append(_ other: RecordDigest) {
        self.ids += other.ids
        self.records += other.records
        self.bytes += other.bytes
        self.mergeTime(other.timeRange, unknown: other.timeUnknown)
    }

    private mutating func mergeTime(_ range: (earliest: Int64, latest: Int64)?, unknown: Bool) {
        self.timeUnknown = self.timeUnknown || unknown
        if let theirs = range {
            if let mine = self.timeRange {
                self.timeRange = (min(mine.earliest, theirs.earliest), max(mine.latest, theirs.latest))
            } else {
                self.timeRange = theirs
            }
        }
    }
}
