package import Logging

/// Tells the `source` a call site named apart from swift-log's default, without making the
/// default: `LogEvent.source` derives the default (the module part of `file`) on every read,
/// which allocates for a module name longer than 15 bytes, while the stored value is internal.
///
/// The stored value (`String?`) is read from its place in the event, found once at start by
/// comparing the bytes of probe events: one with a marker source, one with none, one with
/// another marker. That layout is not public API, so if the probes do not find exactly one
/// place that holds each value, every read takes ``probeCopy(_:)`` instead — a copy of the event
/// with an empty `file`, whose `source` then answers swift-log's `"n/a"` for the default (about
/// 60 ns more per record; docs/performance.md).
///
/// ```swift
/// let named = LogEventSource.explicit(in: event)   // "db" for logger.info("…", source: "db"), else nil
/// ```
package enum LogEventSource {
    /// Byte offset of the event's stored `String?` source, or nil when it cannot be read directly.
    package static let offset: Int? = {
        let first = "spanlog-source-probe-first-marker"
        let second = "spanlog-source-probe-second-marker"
        func event(_ source: String?) -> LogEvent {
            LogEvent(level: .info, message: "probe", metadata: nil, source: source, file: "Probe/File.swift", function: "probe", line: 1)
        }
        let withFirst = event(first)
        let withSecond = event(second)
        let withNone = event(nil)
        let width = MemoryLayout<String?>.size
        let alignment = MemoryLayout<String?>.alignment
        let size = MemoryLayout<LogEvent>.size
        guard size >= width else { return nil }
        func bytes(of value: String?) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
        func bytes(of value: LogEvent, at offset: Int) -> [UInt8] {
            withUnsafeBytes(of: value) { Array($0[offset..<(offset + width)]) }
        }
        let expected = (bytes(of: first), bytes(of: second), bytes(of: String?.none))
        let matches = stride(from: 0, through: size - width, by: alignment).filter { offset in
            bytes(of: withFirst, at: offset) == expected.0
                && bytes(of: withSecond, at: offset) == expected.1
                && bytes(of: withNone, at: offset) == expected.2
        }
        guard matches.count == 1, let offset = matches.first else { return nil }
        // Read back through the found place, as every record will be.
        guard read(withFirst, at: offset) == first, read(withSecond, at: offset) == second, read(withNone, at: offset) == nil
        else { return nil }
        return offset
    }()

    /// The source `event`'s call site named, or nil for swift-log's default.
    @inline(__always)
    package static func explicit(in event: LogEvent) -> String? {
        if let offset = Self.offset { return Self.read(event, at: offset) }
        return Self.probeCopy(event)
    }

    @inline(__always)
    private static func read(_ event: LogEvent, at offset: Int) -> String? {
        withUnsafeBytes(of: event) { $0.load(fromByteOffset: offset, as: String?.self) }
    }

    /// The fallback: the event's `source` read from a copy with an empty `file` (swift-log then
    /// derives "n/a" for the default). An explicit `"n/a"` reads as the default.
    package static func probeCopy(_ event: LogEvent) -> String? {
        var probe = event
        probe.file = ""
        let source = probe.source
        return source == "n/a" ? nil : source
    }
}
