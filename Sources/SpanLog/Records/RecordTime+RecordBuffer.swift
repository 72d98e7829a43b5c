// The one time type of the on-disk format is SpanLogFormat's `RecordTime`; SpanLog's records carry
// it, so users of SpanLog name it without importing the format module.
@_exported public import SpanLogFormat

extension RecordTime {
    /// Appends `YYYY-MM-DDTHH:MM:SS.fffffffffZ` with `fractionDigits` (0...9) fractional digits.
    func appendRFC3339(to buffer: inout RecordBuffer, fractionDigits: Int) {
        let (seconds, nanoseconds) = self.secondsAndFraction
        guard fractionDigits == 9 else {
            buffer.appendInPlace(maximum: 32) { out in self.writeRFC3339(to: out, fractionDigits: fractionDigits) }
            return
        }
        // The buffer remembers the last second it wrote: most records share it with the previous one.
        if seconds != buffer.cachedSecond {
            _ = self.writeRFC3339(to: buffer.secondText, fractionDigits: 0, secondsOnly: true)
            buffer.cachedSecond = seconds
        }
        let prefix = buffer.secondText
        buffer.appendInPlace(maximum: 30) { out in
            out.update(from: prefix, count: 19)
            out[19] = UInt8(ascii: ".")
            RecordTime.writeDigits(nanoseconds, count: 9, to: out + 20)
            out[29] = UInt8(ascii: "Z")
            return 30
        }
    }
}
