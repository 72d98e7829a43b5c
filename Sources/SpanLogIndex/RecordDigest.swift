internal import CSpanLogReader
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// What a trace index needs to know about a run of whole JSON-lines records: the trace ids they
/// carry, how many there are, how many bytes, and their earliest and latest `timestamp`.
///
/// Extraction is byte-level, not a JSON parse, so that the file sink can afford it for every
/// record: a trace id is the 32 hex digits in every `"trace_id": "<id>"` of a line (any key
/// `"trace_id"`, also nested ones: an extra id only costs a false positive, never a miss); a
/// time is the fixed-width `"timestamp":"YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ"` that opens every
/// SpanLog record. A line that does not open that way makes the run's time range unknown, so a
/// time query never skips it.
///
/// ```swift
/// var digest = RecordDigest()
/// line.withUnsafeBytes { digest.add($0) }   // whole lines, each ending in "\n"
/// digest.records                               // 1
/// ```
package struct RecordDigest: Sendable {
    /// Trace ids seen, in order, with repeats.
    package private(set) var ids: [TraceIDHash] = []
    package private(set) var records: UInt64 = 0
    package private(set) var bytes: UInt64 = 0
    /// Earliest and latest timestamp (Unix nanoseconds); nil when no record had one, or when a
    /// record's time could not be read (then the run has no usable range).
    package private(set) var timeRange: (earliest: Int64, latest: Int64)?
    package private(set) var timeUnknown = false

    package init() {}

    package var isEmpty: Bool { self.bytes == 0 }

    /// Adds whole lines (the last one may lack its newline).
    package mutating func add(_ lines: UnsafeRawBufferPointer) {
        guard let base = lines.baseAddress, lines.count > 0 else { return }
        self.bytes += UInt64(lines.count)
        var start = 0
        while start < lines.count {
            let end: Int
            if let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), lines.count - start) {
                end = base.distance(to: UnsafeRawPointer(newline))
            } else {
                end = lines.count
            }
            self.records += 1
            self.noteTime(ofLine: base + start, count: end - start)
            start = end + 1
        }
        Self.key.withUnsafeBytes { key in
            var offset = 0
            while offset < lines.count,
                  let hit = spanlog_memmem(base + offset, lines.count - offset, key.baseAddress, key.count) {
                let keyEnd = base.distance(to: hit) + key.count
                if let id = Self.traceID(in: lines, after: keyEnd) { self.ids.append(id) }
                offset = keyEnd
            }
        }
    }

    /// Merges another run (which followed this one) into this one.
    package mutating func append(_ other: RecordDigest) {
        self.ids += other.ids
        self.records += other.records
        self.bytes += other.bytes
        self.timeUnknown = self.timeUnknown || other.timeUnknown
        if let theirs = other.timeRange {
            if let mine = self.timeRange {
                self.timeRange = (min(mine.earliest, theirs.earliest), max(mine.latest, theirs.latest))
            } else {
                self.timeRange = theirs
            }
        }
    }

    private static let key = Array("\"trace_id\"".utf8)
    private static let timestampPrefix = Array("{\"timestamp\":\"".utf8)

    /// `: "<32 hex>"` after a `"trace_id"` key, spaces allowed around the colon.
    private static func traceID(in lines: UnsafeRawBufferPointer, after keyEnd: Int) -> TraceIDHash? {
        var index = keyEnd
        func skipSpaces() {
            while index < lines.count, lines[index] == 0x20 || lines[index] == 0x09 { index += 1 }
        }
        skipSpaces()
        guard index < lines.count, lines[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        skipSpaces()
        guard index + 34 <= lines.count, lines[index] == UInt8(ascii: "\""), lines[index + 33] == UInt8(ascii: "\"") else { return nil }
        return TraceIDHash(digits: lines.baseAddress! + index + 1)
    }

    private mutating func noteTime(ofLine line: UnsafeRawPointer, count: Int) {
        let prefix = Self.timestampPrefix
        guard count >= prefix.count + RecordTimestamp.width + 1,
              prefix.withUnsafeBytes({ memcmp(line, $0.baseAddress!, prefix.count) == 0 }),
              line.load(fromByteOffset: prefix.count + RecordTimestamp.width, as: UInt8.self) == UInt8(ascii: "\""),
              let time = RecordTimestamp.nanoseconds(at: line + prefix.count)
        else {
            if count > 0 { self.timeUnknown = true }
            return
        }
        if let range = self.timeRange {
            self.timeRange = (min(range.earliest, time), max(range.latest, time))
        } else {
            self.timeRange = (time, time)
        }
    }
}
