public import Logging

/// A metadata value's sensitivity, as a swift-log metadata value attribute (SLG-0004): a value
/// marked `.sensitive` is redacted by SpanLog's redaction (on by default) whatever its key, in
/// log records, and `.public` is written even under a sensitive key name.
///
/// ```swift
/// logger.info("login", metadata: [
///     "user": "\(user.id)",
///     "email": "\(user.email, sensitivity: .sensitive)",   // "email":"[REDACTED]"
/// ])
/// ```
public enum SpanLogSensitivity: Int64, Logger.MetadataValueAttributes.Attribute, Sendable {
    /// Never written as it is: replaced by ``RedactionFilter/replacement``.
    case sensitive = 1
    /// Written as it is, even under a key the redaction rules call sensitive.
    case `public` = 2
}

extension Logger.MetadataValue.StringInterpolation {
    /// Interpolates `value` with a ``SpanLogSensitivity``: `"\(email, sensitivity: .sensitive)"`.
    @inlinable
    public mutating func appendInterpolation<T: CustomStringConvertible & Sendable>(_ value: T, sensitivity: SpanLogSensitivity) {
        self.appendInterpolation(value, attributes: [sensitivity])
    }
}

extension Logger.MetadataValue {
    /// The value's ``SpanLogSensitivity``, if it carries one (only interpolated and
    /// `.attributed` values can).
    @inline(__always)
    var spanLogSensitivity: SpanLogSensitivity? {
        guard case .stringConvertible = self else { return nil }
        return self.attributes[SpanLogSensitivity.self]
    }
}
