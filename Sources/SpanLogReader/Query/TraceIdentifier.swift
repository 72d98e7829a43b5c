/// Validation of W3C ids as the command line takes them.
///
/// ```swift
/// TraceIdentifier.normalizedTraceID("4BF92F3577B34DA6A3CE929D0E0E4736")  // lowercased
/// TraceIdentifier.normalizedTraceID("nope")                              // nil
/// ```
package enum TraceIdentifier {
    /// `text` lowercased if it is 32 hex digits and not all zero, else `nil`.
    package static func normalizedTraceID(_ text: String) -> String? {
        Self.normalized(text, digits: 32)
    }

    /// `text` lowercased if it is 16 hex digits and not all zero, else `nil`.
    package static func normalizedSpanID(_ text: String) -> String? {
        Self.normalized(text, digits: 16)
    }

    private static func normalized(_ text: String, digits: Int) -> String? {
        let lower = text.lowercased()
        guard lower.utf8.count == digits, lower.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return nil }
        guard lower.utf8.contains(where: { $0 != 0x30 }) else { return nil }
        return lower
    }
}
