public import Instrumentation

/// The identity of one span, as W3C Trace Context defines it, and the one thing that carries
/// span identity through SpanLog.
///
/// The tracer stores it in `ServiceContext` under a single key; the log handler, the
/// `TraceIdFilter`, ``logMetadata()`` and the metadata provider all read it from there.
///
/// ```swift
/// var context = ServiceContext.topLevel
/// context.spanContext = SpanContext(
///     traceID: TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!,
///     spanID: SpanID(hex: "00f067aa0ba902b7")!,
///     traceFlags: .sampled
/// )
/// ServiceContext.withValue(context) {
///     logger.info("inside")   // carries trace_id and span_id
/// }
/// ```
public struct SpanContext: Hashable, Sendable {
    /// The trace this span belongs to.
    public var traceID: TraceID
    /// This span's id.
    public var spanID: SpanID
    /// The parent span's id, or `nil` for a root span (or a context extracted from a header, where
    /// `spanID` is the remote caller's span).
    public var parentSpanID: SpanID?
    /// W3C trace flags; only the sampled bit has a meaning here.
    public var traceFlags: TraceFlags
    /// The raw W3C `tracestate` header value, carried through unchanged ("" when absent).
    public var traceState: String
    /// `true` when this context was extracted from an incoming request rather than created here.
    public var isRemote: Bool

    /// Creates a span context.
    public init(
        traceID: TraceID,
        spanID: SpanID,
        parentSpanID: SpanID? = nil,
        traceFlags: TraceFlags = [],
        traceState: String = "",
        isRemote: Bool = false
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.traceFlags = traceFlags
        self.traceState = traceState
        self.isRemote = isRemote
    }

    /// Whether the sampled flag is set.
    public var isSampled: Bool { self.traceFlags.contains(.sampled) }

    /// The W3C `traceparent` value, `00-<trace-id>-<span-id>-<flags>`: what
    /// ``TraceContextPropagator`` injects and the HTTP middleware answers with. Written straight
    /// into the string's storage (one allocation).
    public var traceparent: String {
        String(unsafeUninitializedCapacity: 55) { out in
            let base = out.baseAddress!
            base[0] = UInt8(ascii: "0")
            base[1] = UInt8(ascii: "0")
            base[2] = UInt8(ascii: "-")
            HexDigits.write(self.traceID.high, to: base + 3)
            HexDigits.write(self.traceID.low, to: base + 19)
            base[35] = UInt8(ascii: "-")
            HexDigits.write(self.spanID.rawValue, to: base + 36)
            base[52] = UInt8(ascii: "-")
            HexDigits.write(byte: self.traceFlags.rawValue, to: base + 53)
            return 55
        }
    }

    /// The span context of the current task, read from `ServiceContext.current`.
    ///
    /// Task-locals do not cross `Task.detached`, NIO event-loop callbacks or a sink's writer
    /// thread: read this on the caller before handing work off.
    public static var current: SpanContext? {
        CurrentSpanContextCache.current()
    }
}

/// What `ServiceContext` stores under ``SpanContextKey``: a reference, so that storing it costs no
/// existential box and reading it is a class cast. The tracer's span storage is a subclass, which
/// lets `activeSpan(identifiedBy:)` find the span from its context.
class SpanContextHolder: @unchecked Sendable {
    let spanContext: SpanContext

    init(_ spanContext: SpanContext) {
        self.spanContext = spanContext
    }
}

/// The one `ServiceContext` key under which SpanLog keeps the current span's identity.
enum SpanContextKey: ServiceContextKey {
    typealias Value = SpanContextHolder
    static var nameOverride: String? { "spanlog.span-context" }
}

extension ServiceContext {
    /// The SpanLog span context stored in this service context, if any.
    public var spanContext: SpanContext? {
        get { SpanContextEntry.holder(in: self)?.spanContext }
        set { SpanContextEntry.set(newValue.map(SpanContextHolder.init), in: &self) }
    }
}
