import Logging
import SpanLogFormat

/// The bytes the escaper must look at — C0 controls, `"`, `\`, DEL, and the lead bytes of
/// U+2028/U+2029 (E2) and U+FEFF (EF) — as a 256-bit set in four words (constants: no lazy
/// global to initialise on the hot path).
@inline(__always)
private func needsAttention(_ byte: UInt8) -> Bool {
    let word: UInt64
    switch byte >> 6 {
    case 0: word = 0x0000_0004_FFFF_FFFF  // 0x00–0x1F, 0x22
    case 1: word = 0x8000_0000_1000_0000  // 0x5C, 0x7F
    case 2: word = 0
    default: word = 0x0000_8004_0000_0000  // 0xE2, 0xEF
    }
    return (word >> UInt64(byte & 63)) & 1 != 0
}

/// Whether none of the 8 bytes of `word` needs attention, for the common case of plain ASCII:
/// no byte below 0x20, none equal to `"` or `\`, none at 0x7F or above (SWAR: each test sets a
/// byte's high bit).
@inline(__always)
private func isPlainASCII(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    let below20 = (word &- ones &* 0x20) & ~word & high
    let quote = word ^ (ones &* 0x22)
    let isQuote = (quote &- ones) & ~quote & high
    let backslash = word ^ (ones &* 0x5C)
    let isBackslash = (backslash &- ones) & ~backslash & high
    let del = word &+ ones  // 0x7F + 1 sets the high bit; so do bytes ≥ 0x80 (already high)
    return (below20 | isQuote | isBackslash | ((word | del) & high)) == 0
}

/// Byte-level JSON writing (RFC 8259) into a reused buffer, without Foundation.
extension RecordBuffer {
    /// Appends `string` as a JSON string literal, quotes included.
    public mutating func appendJSONString(_ string: String) {
        self.appendQuoted(string, colon: false)
    }

    /// Appends the JSON-escaped contents of `string` without quotes (public for custom encoders).
    ///
    /// Every C0 control character, `"`, `\`, DEL and U+2028/U+2029 are escaped, so no value can
    /// end a record early; U+FEFF is escaped too, since some JSON readers drop it at the start of
    /// a string as if it were a byte-order mark.
    public mutating func appendJSONEscaped(_ string: String) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            self.appendJSONEscaped(utf8)
        }
        if done == nil {
            var copy = string
            copy.withUTF8 { self.appendJSONEscaped($0) }
        }
    }

    /// `"string"`, or `"string":` with `colon`.
    @inline(__always)
    private mutating func appendQuoted(_ string: String, colon: Bool) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            self.appendQuoted(utf8, colon: colon)
        }
        if done == nil {
            var copy = string
            copy.withUTF8 { self.appendQuoted($0, colon: colon) }
        }
    }

    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, colon: Bool) {
        let plain = Self.plainPrefixLength(utf8)
        if plain == utf8.count {
            // Quotes, bytes and colon under one capacity check.
            self.reserve(utf8.count &+ 3)
            self.appendReserved(UInt8(ascii: "\""))
            self.append(utf8)
            self.appendReserved(UInt8(ascii: "\""))
            if colon { self.appendReserved(UInt8(ascii: ":")) }
            return
        }
        self.append(UInt8(ascii: "\""))
        self.appendJSONEscaped(utf8, from: plain)
        self.append(UInt8(ascii: "\""))
        if colon { self.append(UInt8(ascii: ":")) }
    }

    /// How many leading bytes of `utf8` are known to need no escaping: all of them for plain
    /// ASCII (tested whole, a word at a time: a short string padded with "a", a long one's tail
    /// by its last 8 bytes), else a multiple of 8 before the first word that needs a look.
    @inline(__always)
    static func plainPrefixLength(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        let count = utf8.count
        guard let base = utf8.baseAddress else { return 0 }
        if count < 8 {
            var word: UInt64 = 0x6161_6161_6161_6161
            for offset in 0..<count {
                let shift = UInt64(offset &* 8)
                word = (word & ~(0xFF << shift)) | UInt64(base[offset]) << shift
            }
            return isPlainASCII(word) ? count : 0
        }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset &+ 8 <= count, isPlainASCII(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) {
            offset &+= 8
        }
        if offset == count || (offset &+ 8 > count
            && isPlainASCII(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)))) {
            return count
        }
        return offset
    }

    mutating func appendJSONEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        let plain = Self.plainPrefixLength(utf8)
        if plain == utf8.count {
            self.append(utf8)
        } else {
            self.appendJSONEscaped(utf8, from: plain)
        }
    }

    /// Escapes `utf8`, whose first `start` bytes need no escaping.
    private mutating func appendJSONEscaped(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) {
        var runStart = 0
        var index = start
        let count = utf8.count
        guard let base = utf8.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        while index < count {
            // Eight plain ASCII bytes at a time, then byte by byte.
            if index &+ 8 <= count, isPlainASCII(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))) {
                index &+= 8
                continue
            }
            let byte = utf8[index]
            if !needsAttention(byte) {
                index &+= 1
                continue
            }
            if byte == 0xE2 || byte == 0xEF {
                // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) are legal in JSON but line breaks to
                // JavaScript and some line readers; U+FEFF (EF BB BF) is invisible and eaten by
                // some parsers. All three are written as \u escapes.
                let escape: [UInt8]?
                if index + 2 < count, byte == 0xE2, utf8[index + 1] == 0x80, utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9 {
                    escape = utf8[index + 2] == 0xA8 ? Self.escapedLineSeparator : Self.escapedParagraphSeparator
                } else if index + 2 < count, byte == 0xEF, utf8[index + 1] == 0xBB, utf8[index + 2] == 0xBF {
                    escape = Self.escapedByteOrderMark
                } else {
                    escape = nil
                }
                if let escape {
                    self.append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    escape.withUnsafeBufferPointer { self.append($0) }
                    index &+= 3
                    runStart = index
                } else {
                    index &+= 1
                }
                continue
            }
            self.append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            switch byte {
            case 0x22: self.append(UInt8(ascii: "\\")); self.append(0x22)
            case 0x5C: self.append(UInt8(ascii: "\\")); self.append(0x5C)
            case 0x0A: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "n"))
            case 0x0D: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "r"))
            case 0x09: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "t"))
            case 0x08: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "b"))
            case 0x0C: self.append(UInt8(ascii: "\\")); self.append(UInt8(ascii: "f"))
            default:
                self.append(UInt8(ascii: "\\"))
                self.append(UInt8(ascii: "u"))
                self.append(UInt8(ascii: "0"))
                self.append(UInt8(ascii: "0"))
                HexDigits.append(byte: byte, to: &self)
            }
            index &+= 1
            runStart = index
        }
        self.append(UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
    }

    /// `string` JSON-escaped exactly as the record encoders escape it, without quotes, handed to
    /// `body` from this thread's reused buffer: SpanLog's one JSON string escaper, for writers
    /// that keep a buffer of their own (the OTLP/JSON encoder).
    package static func withJSONEscaped<Result>(_ string: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        ScratchBuffer.withBuffer { buffer in
            buffer.appendJSONEscaped(string)
            return buffer.withUnsafeBytes(body)
        }
    }

    static let escapedLineSeparator: [UInt8] = Array("\\u2028".utf8)
    static let escapedParagraphSeparator: [UInt8] = Array("\\u2029".utf8)
    static let escapedByteOrderMark: [UInt8] = Array("\\ufeff".utf8)

    /// Appends `"key":` with the key escaped.
    mutating func appendJSONKey(_ key: String) {
        self.appendQuoted(key, colon: true)
    }

    /// Appends a signed integer in decimal.
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            self.append(UInt8(ascii: "-"))
            self.appendDecimal(UInt64(bitPattern: 0 &- value))
        } else {
            self.appendDecimal(UInt64(value))
        }
    }

    /// Appends an unsigned integer in decimal.
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            self.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digitCount = 0
        var probe = value
        while probe > 0 {
            digitCount += 1
            probe /= 10
        }
        self.appendInPlace(maximum: digitCount) { out in
            var remaining = value
            var index = digitCount - 1
            while index >= 0 {
                out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
                index -= 1
            }
            return digitCount
        }
    }

    /// Appends a JSON number for a finite double, or a JSON string for NaN and infinities (JSON
    /// has no literal for them).
    mutating func appendJSONNumber(_ value: Double) {
        if value.isFinite {
            if value == value.rounded(.towardZero), abs(value) < 1e15 {
                self.appendDecimal(Int64(value))
            } else {
                self.append(utf8: value.description)
            }
        } else {
            self.appendJSONString(value.description)
        }
    }

    /// Appends a metadata value: strings as strings, integers, floating-point numbers and booleans
    /// given as `.stringConvertible` as JSON numbers and booleans, dictionaries as objects and
    /// arrays as arrays.
    ///
    /// With `redaction`, the sensitive values inside nested dictionaries and arrays are written as
    /// ``RedactionFilter/replacement`` (the filter's work, done while encoding).
    ///
    /// Containers nested deeper than `RecordNesting.maximumMetadataDepth` are written as
    /// `RecordNesting.truncationMarker`; `nesting` is the number of containers around `value`.
    mutating func appendJSONValue(_ value: Logger.MetadataValue, redacting redaction: RedactionFilter? = nil, nesting: Int = 0) {
        switch value {
        case .string(let string):
            self.appendJSONString(string)
        case .stringConvertible(let convertible):
            self.appendJSONConvertible(convertible)
        case .dictionary where nesting >= RecordNesting.maximumMetadataDepth, .array where nesting >= RecordNesting.maximumMetadataDepth:
            self.appendJSONString(RecordNesting.truncationMarker)
        case .dictionary(let dictionary):
            self.append(UInt8(ascii: "{"))
            var first = true
            for (key, nested) in dictionary {
                if !first { self.append(UInt8(ascii: ",")) }
                first = false
                self.appendJSONKey(key)
                if let redaction, redaction.redacts(nested, key: key) {
                    self.appendJSONValue(RedactionFilter.replacement)
                } else {
                    self.appendJSONValue(nested, redacting: redaction, nesting: nesting + 1)
                }
            }
            self.append(UInt8(ascii: "}"))
        case .array(let values):
            self.append(UInt8(ascii: "["))
            var first = true
            for nested in values {
                if !first { self.append(UInt8(ascii: ",")) }
                first = false
                if let redaction, redaction.redacts(nested) {
                    self.appendJSONValue(RedactionFilter.replacement)
                } else {
                    self.appendJSONValue(nested, redacting: redaction, nesting: nesting + 1)
                }
            }
            self.append(UInt8(ascii: "]"))
        }
    }

    mutating func appendJSONConvertible(_ value: any CustomStringConvertible & Sendable) {
        switch value {
        case let bool as Bool: bool ? self.appendRaw("true") : self.appendRaw("false")
        case let int as Int: self.appendDecimal(Int64(int))
        case let int as Int64: self.appendDecimal(int)
        case let int as Int32: self.appendDecimal(Int64(int))
        case let int as UInt: self.appendDecimal(UInt64(int))
        case let int as UInt64: self.appendDecimal(int)
        case let int as UInt32: self.appendDecimal(UInt64(int))
        case let double as Double: self.appendJSONNumber(double)
        case let float as Float: self.appendJSONNumber(Double(float))
        default: self.appendJSONString(value.description)
        }
    }
}
