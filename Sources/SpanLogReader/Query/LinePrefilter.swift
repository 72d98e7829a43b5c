internal import CSpanLogFormat
internal import SpanLogFormat
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The cheap first look at a raw line, before any JSON parse: rejects lines that cannot pass a
/// ``RecordQuery``, and says nothing about the rest (they are parsed and checked in full).
///
/// SpanLog's encoder writes `{"timestamp":"<30 bytes>","record":"log","level":"…` (a span:
/// `"record":"span"`), so the time, the record kind and the level sit at fixed places at the
/// start of a line; a line of another shape is never rejected on them. The texts a query
/// compares (`--message`, `--field` values, logger, service, span name) must appear in the
/// line's bytes as themselves when they hold only printable ASCII other than `"` and `\`,
/// which SpanLog's encoder never escapes, so a line without them is rejected by `memmem`.
///
/// ```swift
/// let prefilter = LinePrefilter(query: query)
/// if prefilter.mayMatch(line) { let record = try LogLine(bytes: line, location: location) }
/// ```
package struct LinePrefilter: Sendable {
    private let minimumLevel: RecordLevel?
    private let since: Int64?
    private let until: Int64?
    private let spansOnly: Bool
    private let needles: [[UInt8]]

    /// A prefilter for `query`; with `spansOnly`, log records are rejected too (trace lists).
    package init(query: RecordQuery, spansOnly: Bool = false) {
        self.minimumLevel = query.minimumLevel
        self.since = query.since?.nanosecondsSinceEpoch
        self.until = query.until?.nanosecondsSinceEpoch
        self.spansOnly = spansOnly || query.isSpanOnly
        var texts: [String] = query.fields.map(\.value)
        if case .substring(let text) = query.message { texts.append(text) }
        texts += [query.logger, query.spanName, query.status].compactMap { $0 }
        // A log record's service may come from its file name, not its bytes.
        if self.spansOnly, let service = query.service { texts.append(service) }
        self.needles = texts.compactMap { text in
            let bytes = Array(text.utf8)
            // An array or object is compared re-serialised, which need not be its bytes.
            guard let first = bytes.first, first != UInt8(ascii: "["), first != UInt8(ascii: "{") else { return nil }
            let plain = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
            return plain ? bytes : nil
        }
    }

    private static let timestampPrefix = Array(#"{"timestamp":""#.utf8)
    private static let logKind = Array(#"","record":"log","level":""#.utf8)
    private static let spanKind = Array(#"","record":"span","level":""#.utf8)

    /// False when `line` cannot match; true when it may (parse it and check it in full).
    package func mayMatch(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let base = line.baseAddress else { return false }
        let prefix = Self.timestampPrefix.count
        let timeEnd = prefix + RecordTime.fixedWidth
        if line.count > timeEnd + Self.spanKind.count, Self.starts(line, with: Self.timestampPrefix, at: 0) {
            if self.since != nil || self.until != nil, let time = RecordTime.fixedWidthNanoseconds(at: base + prefix) {
                if let since = self.since, time < since { return false }
                if let until = self.until, time > until { return false }
            }
            var levelStart: Int?
            if Self.starts(line, with: Self.spanKind, at: timeEnd) {
                levelStart = timeEnd + Self.spanKind.count
            } else if Self.starts(line, with: Self.logKind, at: timeEnd) {
                if self.spansOnly { return false }
                levelStart = timeEnd + Self.logKind.count
            }
            if let minimumLevel = self.minimumLevel, let levelStart, let level = Self.level(in: line, at: levelStart), level < minimumLevel {
                return false
            }
        }
        for needle in self.needles {
            let found = needle.withUnsafeBytes { bytes in
                spanlog_memmem(base, line.count, bytes.baseAddress!, bytes.count) != nil
            }
            if !found { return false }
        }
        return true
    }

    private static func starts(_ line: UnsafeRawBufferPointer, with literal: [UInt8], at offset: Int) -> Bool {
        guard offset + literal.count <= line.count, let base = line.baseAddress else { return false }
        return literal.withUnsafeBytes { memcmp(base + offset, $0.baseAddress!, literal.count) == 0 }
    }

    /// The level word at `offset` (up to its closing quote), when it is one of the seven.
    private static func level(in line: UnsafeRawBufferPointer, at offset: Int) -> RecordLevel? {
        var end = offset
        while end < line.count, end - offset <= 8, line[end] != UInt8(ascii: "\"") { end += 1 }
        guard end < line.count, line[end] == UInt8(ascii: "\"") else { return nil }
        switch (line[offset], end - offset) {
        case (UInt8(ascii: "t"), 5): return .trace
        case (UInt8(ascii: "d"), 5): return .debug
        case (UInt8(ascii: "i"), 4): return .info
        case (UInt8(ascii: "n"), 6): return .notice
        case (UInt8(ascii: "w"), 7): return .warning
        case (UInt8(ascii: "e"), 5): return .error
        case (UInt8(ascii: "c"), 8): return .critical
        default: return nil
        }
    }
}
