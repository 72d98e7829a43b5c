/// Which headers ``SpanLogTracingMiddleware`` adds to every response of a traced request, so a
/// caller (or a support ticket) can name the trace: `spanlog grep <id>` finds every record.
///
/// - ``traceparent``: the W3C form `00-<trace-id>-<server span id>-<flags>` (the shape of the
///   W3C Trace Context Level 2 `traceresponse` header, under the name clients already parse).
/// - ``traceID``: `X-Trace-Id: <32 hex digits>`, the id alone, for humans and `grep` (the
///   default).
///
/// ```swift
/// router.add(middleware: SpanLogTracingMiddleware(tracer: tracer, responseHeaders: .traceID))
/// ```
public struct ResponseTraceHeaders: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// `traceparent: 00-<trace-id>-<span-id>-<flags>` (the server span's ids).
    public static let traceparent = ResponseTraceHeaders(rawValue: 1 << 0)
    /// `X-Trace-Id: <trace-id>`.
    public static let traceID = ResponseTraceHeaders(rawValue: 1 << 1)
    /// Both headers.
    public static let all: ResponseTraceHeaders = [.traceparent, .traceID]
}
