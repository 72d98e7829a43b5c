import ArgumentParser
import SpanLogReader
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses a duration option (`--min-duration 2s`): an integer and `ms`, `s`, `m`, `h`, `d` or
/// `w`, in nanoseconds; a usage error naming the option and the value otherwise.
///
/// ```swift
/// let nanoseconds = try parseDurationOption("--min-duration", "500ms")
/// ```
func parseDurationOption(_ option: String, _ text: String) throws -> Int64 {
    guard let nanoseconds = RecordTime.parseDuration(text) else {
        throw ValidationError("\(option) '\(text)' is not a duration (an integer and ms, s, m, h, d or w: 500ms, 2s, 1m)")
    }
    return nanoseconds
}

/// Parses a time bound option (`--since 1h`): RFC 3339 or a duration ago.
///
/// ```swift
/// let since = try parseTimeOption("--since", "15m", now: .now())
/// ```
func parseTimeOption(_ option: String, _ text: String, now: RecordTime) throws -> RecordTime {
    guard let time = RecordTime(bound: text, now: now) else {
        throw ValidationError("\(option) '\(text)' is neither RFC 3339 nor a duration like 15m, 2h, 1d")
    }
    return time
}

/// Whether a path names something (`grep`'s first argument is a path when it is not a trace id).
///
/// ```swift
/// if PathCheck.exists("logs") { … }
/// ```
enum PathCheck {
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }
}
