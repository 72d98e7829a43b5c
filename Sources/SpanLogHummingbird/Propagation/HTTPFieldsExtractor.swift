public import HTTPTypes
public import Instrumentation

/// Reads trace-context headers (`traceparent`, `tracestate`) from Hummingbird's `HTTPFields`
/// for an `Instrument`'s `extract`.
///
/// ```swift
/// var context = ServiceContext.topLevel
/// tracer.extract(request.headers, into: &context, using: HTTPFieldsExtractor())
/// ```
public struct HTTPFieldsExtractor: Extractor {
    /// Creates the extractor.
    public init() {}

    public func extract(key: String, from carrier: HTTPFields) -> String? {
        // The W3C names are prebuilt: validating and lowercasing a name per request is not free.
        switch key {
        case "traceparent": return carrier[.traceparent]
        case "tracestate": return carrier[.tracestate]
        default:
            guard let name = HTTPField.Name(key) else { return nil }
            return carrier[name]
        }
    }
}
