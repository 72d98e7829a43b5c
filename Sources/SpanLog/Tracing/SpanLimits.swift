import Tracing

/// OpenTelemetry's span limits: how many attributes, events and links a span keeps, and how
/// long an attribute's string value may be. What goes over is dropped (or cut) and counted in
/// the span record (`dropped_attributes`, `dropped_events`, `dropped_links`; OTLP's
/// `dropped_*_count`), so one runaway span cannot take the service's memory. The byte bounds of
/// the queues behind the exporter (``BatchSpanProcessor/Configuration/maxQueueBytes``,
/// ``TailSampler/Configuration/maxPendingBytes``) stop many large ones.
///
/// ```swift
/// let tracer = SpanLogTracer(configuration: .init(limits: .init(attributeValueLengthLimit: 4096)))
/// ```
public struct SpanLimits: Sendable, Hashable {
    /// `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`: attributes per span, and per event and link.
    public var attributeCountLimit: Int
    /// `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT` (or `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`): the most
    /// bytes of UTF-8 a string value (or each string of an array) keeps; `nil`: no limit.
    public var attributeValueLengthLimit: Int?
    /// `OTEL_SPAN_EVENT_COUNT_LIMIT`: events per span; later ones are dropped.
    public var eventCountLimit: Int
    /// `OTEL_SPAN_LINK_COUNT_LIMIT`: links per span; later ones are dropped.
    public var linkCountLimit: Int

    /// Limits; the defaults are OpenTelemetry's (128 each, no value length limit).
    public init(attributeCountLimit: Int = 128, attributeValueLengthLimit: Int? = nil, eventCountLimit: Int = 128, linkCountLimit: Int = 128) {
        self.attributeCountLimit = max(0, attributeCountLimit)
        self.attributeValueLengthLimit = attributeValueLengthLimit.map { max(0, $0) }
        self.eventCountLimit = max(0, eventCountLimit)
        self.linkCountLimit = max(0, linkCountLimit)
    }

    /// Cuts string values to the length limit and drops attributes over the count limit (the
    /// ones whose keys sort last, so the outcome does not depend on a dictionary's order).
    /// Returns how many were dropped.
    func apply(to attributes: inout SpanAttributes) -> Int {
        var dropped = 0
        if attributes.count > self.attributeCountLimit {
            var keys: [String] = []
            attributes.forEach { key, _ in keys.append(key) }
            keys.sort()
            for key in keys[self.attributeCountLimit...] { attributes[key] = nil }
            dropped = keys.count - self.attributeCountLimit
        }
        guard let limit = self.attributeValueLengthLimit else { return dropped }
        var cut: [(String, SpanAttribute)] = []
        attributes.forEach { key, value in
            switch value {
            case .string(let string) where string.utf8.count > limit:
                cut.append((key, .string(Self.prefix(of: string, bytes: limit))))
            case .stringArray(let strings) where strings.contains(where: { $0.utf8.count > limit }):
                cut.append((key, .stringArray(strings.map { Self.prefix(of: $0, bytes: limit) })))
            default:
                break
            }
        }
        for (key, value) in cut { attributes[key] = value }
        return dropped
    }

    /// The longest prefix of `string` with at most `bytes` bytes of UTF-8 that ends on a
    /// character boundary.
    static func prefix(of string: String, bytes: Int) -> String {
        guard string.utf8.count > bytes else { return string }
        let utf8 = string.utf8
        var end = utf8.index(utf8.startIndex, offsetBy: bytes)
        // Back off continuation bytes (10xxxxxx) to the start of a scalar.
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 {
            end = utf8.index(before: end)
        }
        return String(decoding: utf8[..<end], as: UTF8.self)
    }
}
