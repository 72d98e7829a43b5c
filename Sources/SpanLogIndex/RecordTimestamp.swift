/// Reads the fixed-width UTC timestamps SpanLog writes (`2026-11-25T15:04:05.123456789Z`) as
/// Unix nanoseconds, without Foundation; anything else is nil.
///
/// ```swift
/// let text = Array("1970-01-01T00:00:01.000000002Z".utf8)
/// text.withUnsafeBytes { RecordTimestamp.nanoseconds(at: $0.baseAddress!) }  // 1_000_000_002
/// ```
package enum RecordTimestamp {
    /// Bytes in the form read here.
    package static let width = 30

    package static func nanoseconds(at text: UnsafeRawPointer) -> Int64? {
        func digits(_ offset: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for index in offset..<(offset + count) {
                let byte = text.load(fromByteOffset: index, as: UInt8.self)
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ offset: Int) -> UInt8 { text.load(fromByteOffset: offset, as: UInt8.self) }
        guard byte(4) == UInt8(ascii: "-"), byte(7) == UInt8(ascii: "-"), byte(10) == UInt8(ascii: "T"),
              byte(13) == UInt8(ascii: ":"), byte(16) == UInt8(ascii: ":"), byte(19) == UInt8(ascii: "."),
              byte(29) == UInt8(ascii: "Z"),
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              let fraction = digits(20, 9),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = CivilDate.daysSinceEpoch(year: year, month: Int(month), day: Int(day))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        return seconds * 1_000_000_000 + fraction
    }
}
