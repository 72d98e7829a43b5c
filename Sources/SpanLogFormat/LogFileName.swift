/// The name of a rotated log file: `<base>-<yyyyMMdd'T'HHmmss'Z'>-<sequence>.jsonl.gz`, e.g.
/// `app-20261125T150405Z-0001.jsonl.gz`. The stamp is when the file was started, in UTC; the
/// sequence (four digits) separates files started within the same second. Names of one base sort
/// lexically in the order the files were started.
///
/// The file sink names its files with it; the reader orders rotated files by it.
///
/// ```swift
/// let name = LogFileName(seconds: 1_764_083_045, sequence: 1)
/// name.fileName(base: "app")                              // "app-20251125T150405Z-0001.jsonl.gz"
/// LogFileName(parsing: "app-20251125T150405Z-0001.jsonl.gz", base: "app") == name   // true
/// ```
package struct LogFileName: Comparable, Hashable, Sendable {
    /// Seconds since the Unix epoch (UTC) of the stamp in the name (1970...9999).
    package var seconds: UInt64
    /// 1...9999 in names the sink writes.
    package var sequence: Int

    /// What the sink's file names end with.
    package static let suffix = ".jsonl.gz"
    /// The last sequence number of a second.
    package static let maximumSequence = 9999
    /// Bytes of the stamp, `yyyyMMdd'T'HHmmss'Z'`.
    private static let stampWidth = 16

    package init(seconds: UInt64, sequence: Int) {
        self.seconds = seconds
        self.sequence = sequence
    }

    package static func < (lhs: LogFileName, rhs: LogFileName) -> Bool {
        (lhs.seconds, lhs.sequence) < (rhs.seconds, rhs.sequence)
    }

    /// The stamp as a time (saturating past 2262).
    package var time: RecordTime {
        RecordTime(nanosecondsSinceEpoch: RecordTime.seconds(Int64(clamping: self.seconds)))
    }

    /// The file name for `base`.
    package func fileName(base: String) -> String {
        var bytes = Array(base.utf8)
        bytes.reserveCapacity(bytes.count + 1 + Self.stampWidth + 5 + Self.suffix.utf8.count)
        bytes.append(UInt8(ascii: "-"))
        let days = Int64(clamping: self.seconds / 86_400)
        let secondOfDay = Int(self.seconds % 86_400)
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(days)
        var digits = [UInt8](repeating: 0, count: Self.stampWidth + 5)
        digits.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            RecordTime.writeDigits(Int(year), count: 4, to: out)
            RecordTime.writeDigits(month, count: 2, to: out + 4)
            RecordTime.writeDigits(day, count: 2, to: out + 6)
            out[8] = UInt8(ascii: "T")
            RecordTime.writeDigits(secondOfDay / 3600, count: 2, to: out + 9)
            RecordTime.writeDigits(secondOfDay / 60 % 60, count: 2, to: out + 11)
            RecordTime.writeDigits(secondOfDay % 60, count: 2, to: out + 13)
            out[15] = UInt8(ascii: "Z")
            out[16] = UInt8(ascii: "-")
            RecordTime.writeDigits(self.sequence, count: 4, to: out + 17)
        }
        bytes += digits
        bytes += Self.suffix.utf8
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses a name the sink with `base` wrote; nil for anything else (other names, names of
    /// other sinks whose base merely starts with `base-`).
    package init?(parsing fileName: String, base: String) {
        guard let parsed = Self.parse(fileName), parsed.base == base, parsed.extension == Self.suffix,
              parsed.sequenceDigits == 4
        else { return nil }
        self = parsed.name
    }

    /// Parses any rotated name: `<base>-<stamp>-<digits><extension>` where the extension starts
    /// with a dot. The base may itself hold dashes and dots; the last stamp wins.
    package static func parse(_ fileName: String) -> (base: Substring, name: LogFileName, extension: Substring, sequenceDigits: Int)? {
        let bytes = Array(fileName.utf8)
        // The shortest form: "b-" + stamp + "-" + one digit + "."
        guard bytes.count >= 2 + Self.stampWidth + 3 else { return nil }
        var dash = bytes.count - (Self.stampWidth + 4)
        while dash >= 1 {
            if bytes[dash] == UInt8(ascii: "-"), let parsed = Self.parse(bytes, dashAt: dash) {
                let base = fileName.utf8.prefix(dash)
                let extensionStart = fileName.utf8.index(fileName.utf8.startIndex, offsetBy: parsed.extensionOffset)
                return (Substring(base), parsed.name, fileName[extensionStart...], parsed.sequenceDigits)
            }
            dash -= 1
        }
        return nil
    }

    private static func parse(_ bytes: [UInt8], dashAt dash: Int) -> (name: LogFileName, extensionOffset: Int, sequenceDigits: Int)? {
        let stamp = dash + 1
        guard stamp + Self.stampWidth < bytes.count, bytes[stamp + 8] == UInt8(ascii: "T"),
              bytes[stamp + 15] == UInt8(ascii: "Z"), bytes[stamp + Self.stampWidth] == UInt8(ascii: "-")
        else { return nil }
        func number(_ offset: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in bytes[(stamp + offset)..<(stamp + offset + count)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), let month = number(4, 2), let day = number(6, 2),
              let hour = number(9, 2), let minute = number(11, 2), let second = number(13, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60, year >= 1970
        else { return nil }
        // The sequence: 1...9 digits, then the extension's dot.
        var index = stamp + Self.stampWidth + 1
        var sequence = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"), digits < 9 {
            sequence = sequence * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        guard digits > 0, index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return nil }
        let days = CivilDate.daysSinceEpoch(year: Int64(year), month: month, day: day)
        guard days >= 0 else { return nil }
        let seconds = UInt64(days) * 86_400 + UInt64(hour * 3600 + minute * 60 + second)
        return (LogFileName(seconds: seconds, sequence: sequence), index, digits)
    }

    /// The name for a file started at `now`, given the newest existing name: it sorts after
    /// `newest` even if the clock went back, and moves to the next second when a second's
    /// sequence numbers run out.
    package static func next(after newest: LogFileName?, now: RecordTime) -> LogFileName {
        let nowSeconds = UInt64(clamping: now.secondsAndFraction.seconds)
        guard let newest, newest.seconds >= nowSeconds else {
            return LogFileName(seconds: nowSeconds, sequence: 1)
        }
        if newest.sequence >= Self.maximumSequence {
            return LogFileName(seconds: newest.seconds + 1, sequence: 1)
        }
        return LogFileName(seconds: newest.seconds, sequence: newest.sequence + 1)
    }
}
