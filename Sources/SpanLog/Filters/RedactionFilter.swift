public import Logging
import SpanLogFormat

/// Replaces the values of sensitive metadata with `"[REDACTED]"`, at any depth of nested
/// dictionaries and arrays (down to the record nesting limit).
///
/// A value is sensitive when
/// - it was marked so at the call site (`"\(email, sensitivity: .sensitive)"`, see
///   ``SpanLogSensitivity``), whatever its key; a value marked `.public` never is;
/// - its key is one of ``keys`` (compared case-insensitively), or
/// - its key's last word, or its last two words written together, is one of ``words``
///   (case-insensitively). Words are split at `_`, `-`, `.` and any other character that is not
///   a letter or digit, and at camel-case humps: `db_password`, `X-Auth-Token`, `privateKey`,
///   `AWS_SECRET_ACCESS_KEY` and `sessionId` are sensitive with the default words;
///   `authorization_hint`, `token_count` and `api_key_id` are not (their last word is not a
///   secret's name).
///
/// On by default in every pipeline, with ``defaultKeys`` and ``defaultWords``; the tracer applies
/// the same rules to span attributes and event attributes. A record without a sensitive value
/// passes through without any allocation.
///
/// ```swift
/// let redaction = RedactionFilter(keys: RedactionFilter.defaultKeys + ["ssn"])
/// // logger.info("login", metadata: ["db_password": "hunter2"]) → "db_password":"[REDACTED]"
/// ```
public struct RedactionFilter: LogFilter {
    /// Whole keys redacted unless configured otherwise (matched exactly, ignoring case).
    public static let defaultKeys: [String] = [
        "authorization", "password", "passwd", "secret", "token", "api_key", "apikey",
        "cookie", "set-cookie", "proxy-authorization", "x-api-key", "client_secret",
        "access_token", "refresh_token",
    ]

    /// Words that make a key sensitive when they end it (see the type's description).
    public static let defaultWords: [String] = [
        "password", "passwd", "pwd", "passphrase", "secret", "token", "auth", "authorization",
        "cookie", "credential", "credentials", "bearer", "jwt", "apikey", "privatekey", "accesskey",
        "sessionid", "signature",
    ]

    /// The replacement value.
    public static let replacement: Logger.MetadataValue = .string(RedactedError.replacementText)

    /// The whole keys this filter redacts.
    public let keys: [String]
    /// The words that make a key sensitive when they end it.
    public let words: [String]

    private let keySet: LowercasedWordSet
    private let wordSet: LowercasedWordSet
    /// Whether the rules name `error.message` (the logged error's description), so that the
    /// encoders redact it too.
    let redactsErrorMessage: Bool

    /// Creates a filter that redacts the values of `keys` and of keys ending in one of `words`
    /// (both compared case-insensitively). `words: []` keeps to the exact keys.
    public init(keys: [String] = RedactionFilter.defaultKeys, words: [String] = RedactionFilter.defaultWords) {
        self.keys = keys
        self.words = words
        self.keySet = LowercasedWordSet(keys)
        self.wordSet = LowercasedWordSet(words)
        self.redactsErrorMessage = Self.isSensitive("error.message", keys: self.keySet, words: self.wordSet)
    }

    public func process(_ record: inout LogRecord) -> Bool {
        if self.needsRedaction(record.metadata) {
            record.metadata = self.redacted(record.metadata)
        }
        if self.redactsErrorMessage, let error = record.error, !(error is RedactedError) {
            record.error = RedactedError(redacting: error)
        }
        return true
    }

    /// Whether a value under `key` is redacted, by the key's name alone.
    public func isSensitive(_ key: String) -> Bool {
        Self.isSensitive(key, keys: self.keySet, words: self.wordSet)
    }

    private static func isSensitive(_ key: String, keys: LowercasedWordSet, words: LowercasedWordSet) -> Bool {
        guard !keys.isEmpty || !words.isEmpty else { return false }
        var key = key
        return key.withUTF8 { utf8 in
            keys.contains(utf8) || Self.endsInSensitiveWord(utf8, words: words)
        }
    }

    /// Whether `value` under `key` is redacted: its ``SpanLogSensitivity`` if it has one, else
    /// its key's name.
    @inline(__always)
    public func redacts(_ value: Logger.MetadataValue, key: String) -> Bool {
        switch value.spanLogSensitivity {
        case .sensitive?: return true
        case .public?: return false
        case nil: return self.isSensitive(key)
        }
    }

    /// Whether `value` was marked sensitive at the call site (for values without a key: array
    /// elements).
    @inline(__always)
    func redacts(_ value: Logger.MetadataValue) -> Bool {
        value.spanLogSensitivity == .sensitive
    }

    // MARK: Key words

    private static func endsInSensitiveWord(_ key: UnsafeBufferPointer<UInt8>, words: LowercasedWordSet) -> Bool {
        guard !words.isEmpty else { return false }
        var end = key.count
        while end > 0, !Self.isLetterOrDigit(key[end - 1]) { end -= 1 }
        guard end > 0 else { return false }
        let lastStart = Self.wordStart(in: key, end: end)
        let last = UnsafeBufferPointer(rebasing: key[lastStart..<end])
        if words.contains(last) { return true }
        var previousEnd = lastStart
        while previousEnd > 0, !Self.isLetterOrDigit(key[previousEnd - 1]) { previousEnd -= 1 }
        guard previousEnd > 0 else { return false }
        let previous = UnsafeBufferPointer(rebasing: key[Self.wordStart(in: key, end: previousEnd)..<previousEnd])
        return words.contains(previous, followedBy: last)
    }

    /// Where the word that ends at `end` (exclusive; `key[end - 1]` is a letter or digit) starts.
    private static func wordStart(in key: UnsafeBufferPointer<UInt8>, end: Int) -> Int {
        var index = end - 1
        while index > 0 {
            let byte = key[index]
            let before = key[index - 1]
            guard Self.isLetterOrDigit(before) else { break }
            // A hump: "dbPassword" (lower, then upper), "APIKey" (upper, upper, then lower).
            if Self.isUpper(byte),
                !Self.isUpper(before) || (index + 1 < end && Self.isLower(key[index + 1]))
            {
                break
            }
            index -= 1
        }
        return index
    }

    @inline(__always) private static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) private static func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @inline(__always) private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        Self.isUpper(byte) || Self.isLower(byte) || byte &- 0x30 < 10
    }

    // MARK: Filtering (when the encoders do not redact while writing)

    private func needsRedaction(_ metadata: Logger.Metadata, nesting: Int = 0) -> Bool {
        // One pass: a sensitive value, or a nested container that holds one.
        for (key, value) in metadata {
            if self.redacts(value, key: key) { return true }
            if self.needsRedaction(value, nesting: nesting) { return true }
        }
        return false
    }

    private func needsRedaction(_ value: Logger.MetadataValue, nesting: Int) -> Bool {
        // Below the nesting limit the encoders write a marker, not the value.
        guard nesting < RecordNesting.maximumMetadataDepth else { return false }
        switch value {
        case .dictionary(let nested): return self.needsRedaction(nested, nesting: nesting + 1)
        case .array(let values): return values.contains { self.redacts($0) || self.needsRedaction($0, nesting: nesting + 1) }
        case .string, .stringConvertible: return false
        }
    }

    private func redacted(_ metadata: Logger.Metadata, nesting: Int = 0) -> Logger.Metadata {
        var result = metadata
        for (key, value) in metadata {
            if self.redacts(value, key: key) {
                result[key] = Self.replacement
            } else if self.needsRedaction(value, nesting: nesting) {
                result[key] = self.redacted(value, nesting: nesting)
            }
        }
        return result
    }

    private func redacted(_ value: Logger.MetadataValue, nesting: Int) -> Logger.MetadataValue {
        switch value {
        case .dictionary(let nested): return .dictionary(self.redacted(nested, nesting: nesting + 1))
        case .array(let values):
            return .array(values.map { self.redacts($0) ? Self.replacement : self.redacted($0, nesting: nesting + 1) })
        case .string, .stringConvertible: return value
        }
    }
}

/// A set of ASCII-lowercased byte strings, tested against keys in any case: by length first,
/// then by first byte, so most keys are rejected without comparing a byte.
private struct LowercasedWordSet: Sendable {
    /// Lowercased words by length.
    private let byLength: [[[UInt8]]]
    /// Bit n set when some word is n bytes long (n < 64).
    private let lengths: UInt64
    /// The words' first bytes, both cases, as a 256-bit set.
    private let firstBytes: (UInt64, UInt64, UInt64, UInt64)

    init(_ words: [String]) {
        let lowered = words.map { Array($0.lowercased().utf8) }.filter { !$0.isEmpty }
        var buckets = [[[UInt8]]](repeating: [], count: (lowered.map(\.count).max() ?? 0) + 1)
        for word in lowered { buckets[word.count].append(word) }
        self.byLength = lowered.isEmpty ? [] : buckets
        self.lengths = lowered.reduce(0) { $1.count < 64 ? $0 | (1 << UInt64($1.count)) : $0 }
        var firstBytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for word in lowered {
            let first = word[0]
            for byte in [first, first &- 0x61 < 26 ? first & ~0x20 : first] {
                let bit = UInt64(1) << UInt64(byte & 63)
                switch byte >> 6 {
                case 0: firstBytes.0 |= bit
                case 1: firstBytes.1 |= bit
                case 2: firstBytes.2 |= bit
                default: firstBytes.3 |= bit
                }
            }
        }
        self.firstBytes = firstBytes
    }

    var isEmpty: Bool { self.byLength.isEmpty }

    /// Whether `text` is one of the words, ignoring ASCII case.
    func contains(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        self.contains(text, followedBy: UnsafeBufferPointer(start: nil, count: 0))
    }

    /// Whether `first` and `second` written together are one of the words, ignoring ASCII case.
    func contains(_ first: UnsafeBufferPointer<UInt8>, followedBy second: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = first.count + second.count
        guard count > 0, count < self.byLength.count else { return false }
        guard count >= 64 || self.lengths & (1 << UInt64(count)) != 0, self.mayStartAWord(first.count > 0 ? first[0] : second[0]) else {
            return false
        }
        for candidate in self.byLength[count] where Self.equalsIgnoringCase(first, second, candidate) {
            return true
        }
        return false
    }

    @inline(__always)
    private func mayStartAWord(_ byte: UInt8) -> Bool {
        let word: UInt64
        switch byte >> 6 {
        case 0: word = self.firstBytes.0
        case 1: word = self.firstBytes.1
        case 2: word = self.firstBytes.2
        default: word = self.firstBytes.3
        }
        return (word >> UInt64(byte & 63)) & 1 != 0
    }

    private static func equalsIgnoringCase(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>, _ lowered: [UInt8]) -> Bool {
        lowered.withUnsafeBufferPointer { lowered in
            for index in 0..<first.count where Self.folded(first[index]) != lowered[index] { return false }
            for index in 0..<second.count where Self.folded(second[index]) != lowered[first.count + index] { return false }
            return true
        }
    }

    @inline(__always)
    private static func folded(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }
}
