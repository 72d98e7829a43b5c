internal import SpanLogIndex

/// The names of a rotating sink's files: `<name>-<yyyyMMdd'T'HHmmss'Z'>-<sequence>.jsonl.gz`,
/// e.g. `app-20261125T150405Z-0001.jsonl.gz`. The time is when the file was started, in UTC;
/// the sequence (four digits) separates files started within the same second. Names of one
/// sink sort lexically in the order the files were started.
struct LogFileName: Comparable, Hashable, Sendable {
    /// Seconds since the Unix epoch (UTC) of the stamp in the name.
    var seconds: UInt64
    /// 1...9999.
    var sequence: Int

    static let suffix = ".jsonl.gz"
    static let maximumSequence = 9999

    static func < (lhs: LogFileName, rhs: LogFileName) -> Bool {
        (lhs.seconds, lhs.sequence) < (rhs.seconds, rhs.sequence)
    }

    /// The file name for `base`.
    func fileName(base: String) -> String {
        var buffer = RecordBuffer(capacity: 64)
        buffer.append(utf8: base)
        buffer.append(UInt8(ascii: "-"))
        let days = Int64(self.seconds / 86_400)
        let secondOfDay = Int(self.seconds % 86_400)
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(days)
        buffer.appendInPlace(maximum: 16) { out in
            Timestamp.writeDigits(Int(year), count: 4, to: out)
            Timestamp.writeDigits(month, count: 2, to: out + 4)
            Timestamp.writeDigits(day, count: 2, to: out + 6)
            out[8] = UInt8(ascii: "T")
            Timestamp.writeDigits(secondOfDay / 3600, count: 2, to: out + 9)
            Timestamp.writeDigits(secondOfDay / 60 % 60, count: 2, to: out + 11)
            Timestamp.writeDigits(secondOfDay % 60, count: 2, to: out + 13)
            out[15] = UInt8(ascii: "Z")
            return 16
        }
        buffer.append(UInt8(ascii: "-"))
        buffer.appendInPlace(maximum: 4) { out in
            Timestamp.writeDigits(self.sequence, count: 4, to: out)
            return 4
        }
        buffer.append(utf8: Self.suffix)
        return buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Parses a file name of this sink's `base`; nil for anything else (other names, other
    /// sinks whose name merely starts with `base-`).
    init?(parsing fileName: String, base: String) {
        let name = Array(fileName.utf8)
        let prefix = Array(base.utf8) + [UInt8(ascii: "-")]
        let suffix = Array(Self.suffix.utf8)
        // prefix + 16 (stamp) + 1 ("-") + 4 (sequence) + suffix
        guard name.count == prefix.count + 21 + suffix.count,
              name.starts(with: prefix),
              Array(name[(name.count - suffix.count)...]) == suffix
        else { return nil }
        let stamp = Array(name[prefix.count..<(prefix.count + 16)])
        func number(_ bytes: ArraySlice<UInt8>) -> Int? {
            var value = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard stamp[8] == UInt8(ascii: "T"), stamp[15] == UInt8(ascii: "Z"),
              name[prefix.count + 16] == UInt8(ascii: "-"),
              let year = number(stamp[0..<4]), let month = number(stamp[4..<6]),
              let day = number(stamp[6..<8]), let hour = number(stamp[9..<11]),
              let minute = number(stamp[11..<13]), let second = number(stamp[13..<15]),
              let sequence = number(name[(prefix.count + 17)..<(prefix.count + 21)]),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60,
              year >= 1970
        else { return nil }
        let days = CivilDate.daysSinceEpoch(year: Int64(year), month: month, day: day)
        guard days >= 0 else { return nil }
        self.seconds = UInt64(days) * 86_400 + UInt64(hour * 3600 + minute * 60 + second)
        self.sequence = sequence
    }

    init(seconds: UInt64, sequence: Int) {
        self.seconds = seconds
        self.sequence = sequence
    }

    /// The name for a file started at `now`, given the newest existing name: it sorts after
    /// `newest` even if the clock went back, and moves to the next second when a second's
    /// sequence numbers run out.
    static func next(after newest: LogFileName?, now: Timestamp) -> LogFileName {
        let nowSeconds = now.nanosecondsSinceEpoch / 1_000_000_000
        guard let newest, newest.seconds >= nowSeconds else {
            return LogFileName(seconds: nowSeconds, sequence: 1)
        }
        if newest.sequence >= Self.maximumSequence {
            return LogFileName(seconds: newest.seconds + 1, sequence: 1)
        }
        return LogFileName(seconds: newest.seconds, sequence: newest.sequence + 1)
    }
}
