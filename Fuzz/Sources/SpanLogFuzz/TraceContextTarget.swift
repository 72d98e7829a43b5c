internal import Instrumentation
@testable import SpanLog

/// W3C `traceparent` and `tracestate` (`SpanLog/Tracing/TraceContextPropagator`, the ids in
/// `SpanLog/Context`): the input's first line is a `traceparent` value, the rest (when there is
/// a newline) a `tracestate` value.
///
/// Besides not trapping: what is extracted, injected and extracted again is the same context;
/// a parsed `traceparent` prints as one that parses to the same ids and flags; a normalized
/// `tracestate` normalizes to itself; a parsed id prints as its lowercase hex.
enum TraceContextTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        let parts = input.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false)
        let traceparent = String(decoding: parts[0], as: UTF8.self)
        let tracestate = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : nil

        var headers = ["traceparent": traceparent]
        headers["tracestate"] = tracestate
        var context = ServiceContext.topLevel
        let propagator = TraceContextPropagator()
        propagator.extract(headers, into: &context, using: HeaderExtractor())
        if let extracted = context.spanContext {
            var injected: [String: String] = [:]
            propagator.inject(context, into: &injected, using: HeaderInjector())
            var again = ServiceContext.topLevel
            propagator.extract(injected, into: &again, using: HeaderExtractor())
            require(again.spanContext == extracted, "extract → inject → extract changed \(extracted) into \(String(describing: again.spanContext))")
        }

        if let parsed = TraceContextPropagator.parseTraceparent(traceparent) {
            let printed = parsed.traceparent
            let reparsed = TraceContextPropagator.parseTraceparent(printed)
            require(
                reparsed?.traceID == parsed.traceID && reparsed?.spanID == parsed.spanID && reparsed?.traceFlags == parsed.traceFlags,
                "\(traceparent.debugDescription) printed as \(printed.debugDescription) parses differently")
        }
        if let tracestate, let normalized = TraceContextPropagator.normalizedTracestate(tracestate) {
            require(
                TraceContextPropagator.normalizedTracestate(normalized) == normalized,
                "tracestate \(tracestate.debugDescription) normalized as \(normalized.debugDescription) is not stable")
        }

        for text in [traceparent, tracestate ?? ""] {
            if let id = TraceID(hex: text) {
                require(id.description == text.lowercased(), "TraceID \(text.debugDescription) prints as \(id)")
            }
            if let id = SpanID(hex: text) {
                require(id.description == text.lowercased(), "SpanID \(text.debugDescription) prints as \(id)")
            }
        }
    }
}

/// Reads header values out of a dictionary.
struct HeaderExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

/// Writes header values into a dictionary.
struct HeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}
