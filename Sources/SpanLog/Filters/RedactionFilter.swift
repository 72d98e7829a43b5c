public import Logging

/// Replaces the values of sensitive metadata keys with `"[REDACTED]"`, at any depth of nested
/// dictionaries and arrays. Keys match case-insensitively and exactly (`Authorization` matches
/// `authorization`; `authorization_hint` does not).
///
/// On by default in every pipeline, with ``defaultKeys``. A record without a sensitive key passes
/// through without any allocation.
///
/// ```swift
/// let redaction = RedactionFilter(keys: RedactionFilter.defaultKeys + ["ssn"])
/// // logger.info("login", metadata: ["password": "hunter2"]) → "password":"[REDACTED]"
/// ```
public struct RedactionFilter: LogFilter {
    /// The keys redacted unless configured otherwise.
    public static let defaultKeys: [String] = [
        "authorization", "password", "passwd", "secret", "token", "api_key", "apikey",
        "cookie", "set-cookie", "proxy-authorization", "x-api-key", "client_secret",
        "access_token", "refresh_token",
    ]

    /// The replacement value.
    public static let replacement: Logger.MetadataValue = .string("[REDACTED]")

    /// Lowercased key bytes, indexed by length so that most keys are rejected by one compare.
    private let keysByLength: [[[UInt8]]]
    /// Bit n set when some key is n bytes long (n < 64): most keys are rejected on their length.
    private let lengths: UInt64
    /// The first bytes of the keys, both cases, as a 256-bit set: most keys are rejected on it.
    private let firstBytes: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a filter that redacts the values of `keys` (compared case-insensitively).
    public init(keys: [String] = RedactionFilter.defaultKeys) {
        let lowered = keys.map { Array($0.lowercased().utf8) }
        var buckets = [[[UInt8]]](repeating: [], count: (lowered.map(\.count).max() ?? 0) + 1)
        for key in lowered {
            buckets[key.count].append(key)
        }
        self.keysByLength = buckets
        self.lengths = lowered.reduce(0) { $1.count < 64 ? $0 | (1 << UInt64($1.count)) : $0 }
        var firstBytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for key in lowered {
            guard let first = key.first else { continue }
            for byte in Set([first, (first &- 0x61) < 26 ? first & ~0x20 : first]) {
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

    @inline(__always)
    private func mayStartAKey(_ byte: UInt8) -> Bool {
        let word: UInt64
        switch byte >> 6 {
        case 0: word = self.firstBytes.0
        case 1: word = self.firstBytes.1
        case 2: word = self.firstBytes.2
        default: word = self.firstBytes.3
        }
        return (word >> UInt64(byte & 63)) & 1 != 0
    }

    public func process(_ record: inout LogRecord) -> Bool {
        if self.needsRedaction(record.metadata) {
            record.metadata = self.redacted(record.metadata)
        }
        return true
    }

    /// Whether `key` is one of the sensitive keys.
    public func isSensitive(_ key: String) -> Bool {
        let count = key.utf8.count
        guard count >= 64 || self.lengths & (1 << UInt64(count)) != 0 else { return false }
        guard count < self.keysByLength.count, !self.keysByLength[count].isEmpty,
              let first = key.utf8.first, self.mayStartAKey(first)
        else { return false }
        var key = key
        return key.withUTF8 { utf8 in
            for candidate in self.keysByLength[count] where Self.equalsIgnoringASCIICase(utf8, candidate) {
                return true
            }
            return false
        }
    }

    private static func equalsIgnoringASCIICase(_ key: UnsafeBufferPointer<UInt8>, _ lowered: [UInt8]) -> Bool {
        lowered.withUnsafeBufferPointer { lowered in
            for index in 0..<key.count {
                let byte = key[index]
                let folded = (byte &- 0x41) < 26 ? byte | 0x20 : byte
                if folded != lowered[index] { return false }
            }
            return true
        }
    }

    private func needsRedaction(_ metadata: Logger.Metadata) -> Bool {
        // One pass: a sensitive key, or a nested container that holds one.
        for (key, value) in metadata {
            if self.isSensitive(key) { return true }
            switch value {
            case .dictionary, .array:
                if self.needsRedaction(value) { return true }
            case .string, .stringConvertible:
                continue
            }
        }
        return false
    }

    private func needsRedaction(_ value: Logger.MetadataValue) -> Bool {
        switch value {
        case .dictionary(let nested): return self.needsRedaction(nested)
        case .array(let values): return values.contains { self.needsRedaction($0) }
        case .string, .stringConvertible: return false
        }
    }

    private func redacted(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var result = metadata
        for (key, value) in metadata {
            if self.isSensitive(key) {
                result[key] = Self.replacement
            } else if self.needsRedaction(value) {
                result[key] = self.redacted(value)
            }
        }
        return result
    }

    private func redacted(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .dictionary(let nested): return .dictionary(self.redacted(nested))
        case .array(let values): return .array(values.map { self.redacted($0) })
        case .string, .stringConvertible: return value
        }
    }
}
