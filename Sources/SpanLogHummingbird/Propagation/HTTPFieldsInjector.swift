public import HTTPTypes
public import Instrumentation

/// Writes trace-context headers (`traceparent`, `tracestate`) into `HTTPFields` for an
/// `Instrument`'s `inject`, replacing any value already there.
///
/// ```swift
/// var headers = HTTPFields()
/// tracer.inject(span.context, into: &headers, using: HTTPFieldsInjector())
/// ```
public struct HTTPFieldsInjector: Injector {
    /// Creates the injector.
    public init() {}

    public func inject(_ value: String, forKey key: String, into carrier: inout HTTPFields) {
        guard let name = HTTPField.Name(key) else { return }
        carrier[name] = value
    }
}
