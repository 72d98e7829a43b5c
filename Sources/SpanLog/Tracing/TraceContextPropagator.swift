public import Instrumentation

/// W3C Trace Context propagation: reads and writes the `traceparent` and `tracestate` headers
/// through swift-distributed-tracing's `Instrument` protocol.
///
/// Extraction accepts any flags byte of version 00 (the sampled and random bits are kept, the
/// others zeroed) and the forward compatible form of higher versions; anything malformed is
/// ignored, so the request simply starts a new trace. `tracestate` is read by Level 2's grammar
/// (``normalizedTracestate(_:)``), and a bad one never affects `traceparent`.
///
/// ```swift
/// var context = ServiceContext.topLevel
/// TraceContextPropagator().extract(request.headers, into: &context, using: HTTPFieldsExtractor())
/// ```
public struct TraceContextPropagator: Instrument {
    /// Creates the propagator.
    public init() {}

    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let header = extractor.extract(key: "traceparent", from: carrier),
            var spanContext = Self.parseTraceparent(header)
        else { return }
        if let state = extractor.extract(key: "tracestate", from: carrier) {
            spanContext.traceState = Self.normalizedTracestate(state) ?? ""
        }
        context.spanContext = spanContext
    }

    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let spanContext = context.spanContext, spanContext.traceID.isValid, spanContext.spanID.isValid else { return }
        injector.inject(spanContext.traceparent, forKey: "traceparent", into: &carrier)
        if !spanContext.traceState.isEmpty {
            injector.inject(spanContext.traceState, forKey: "tracestate", into: &carrier)
        }
    }

    /// Parses a `traceparent` value into a remote span context, or `nil` if it is malformed.
    public static func parseTraceparent(_ header: String) -> SpanContext? {
        var value = header.utf8[...]
        // Optional whitespace around the header value (RFC 9110 OWS).
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        let bytes = Array(value)
        guard bytes.count >= 55 else { return nil }
        guard bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-") else { return nil }
        guard let versionHigh = HexDigits.nibble(bytes[0]), let versionLow = HexDigits.nibble(bytes[1]) else { return nil }
        let version = versionHigh << 4 | versionLow
        if version == 0xFF { return nil }
        if version == 0 {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55 && bytes[55] != UInt8(ascii: "-") {
            return nil
        }
        var scratch = bytes
        guard let high = HexDigits.parseUInt64(&scratch, from: 3),
            let low = HexDigits.parseUInt64(&scratch, from: 19),
            let parent = HexDigits.parseUInt64(&scratch, from: 36),
            let flagsHigh = HexDigits.nibble(bytes[53]), let flagsLow = HexDigits.nibble(bytes[54])
        else { return nil }
        let traceID = TraceID(high: high, low: low)
        let spanID = SpanID(rawValue: parent)
        guard traceID.isValid, spanID.isValid else { return nil }
        // The flags SpanLog knows (sampled, Level 2's random); the others are zeroed, as W3C asks.
        let flags = TraceFlags(rawValue: (flagsHigh << 4 | flagsLow)).intersection([.sampled, .random])
        return SpanContext(traceID: traceID, spanID: spanID, parentSpanID: nil, traceFlags: flags, traceState: "", isRemote: true)
    }

    /// The `tracestate` list as SpanLog propagates it: members re-joined without empty ones or
    /// optional whitespace; a member whose key or value breaks the grammar is dropped, and so is
    /// a later member with a key already seen (W3C Trace Context: invalid entries and duplicated
    /// keys may be discarded, the others are kept). `nil` when the header cannot be parsed as a
    /// list (a member without `=`), has more than 32 members, or keeps no member at all.
    public static func normalizedTracestate(_ header: String) -> String? {
        var members: [Substring] = []
        var keys: Set<Substring> = []
        var count = 0
        for rawMember in header.split(separator: ",", omittingEmptySubsequences: false) {
            let member = rawMember.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
            let trimmed = Substring(String(member))
            if trimmed.isEmpty { continue }
            count += 1
            guard count <= 32, let equals = trimmed.firstIndex(of: "=") else { return nil }
            let key = trimmed[..<equals]
            let value = trimmed[trimmed.index(after: equals)...]
            guard Self.isValidKey(key), Self.isValidValue(value), keys.insert(key).inserted else { continue }
            members.append(trimmed)
        }
        return members.isEmpty ? nil : members.joined(separator: ",")
    }

    /// Trace Context Level 2's key: `( lcalpha / DIGIT ) 0*255 ( lcalpha / DIGIT / "_" / "-" /
    /// "*" / "/" / "@" )`, which also holds every multi-tenant key of Level 1.
    private static func isValidKey(_ key: Substring) -> Bool {
        let utf8 = key.utf8
        guard (1...256).contains(utf8.count) else { return false }
        for (index, byte) in utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "@"):
                if index == 0 { return false }
            default:
                return false
            }
        }
        return true
    }

    private static func isValidValue(_ value: Substring) -> Bool {
        let utf8 = value.utf8
        guard (1...256).contains(utf8.count), utf8.last != UInt8(ascii: " ") else { return false }
        return utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "=") }
    }
}
