public import Tracing

/// A finished span, as exporters receive it and as it is written to the log files (see
/// `docs/format.md`).
///
/// ```swift
/// struct CountingExporter: SpanExporter {
///     let count = Mutex(0)
///     func export(_ batch: [SpanRecord]) async throws {
///         count.withLock { $0 += batch.count }
///     }
/// }
/// ```
public struct SpanRecord: Sendable {
    /// A link to another span.
    public struct Link: Sendable {
        /// The linked span's trace.
        public var traceID: TraceID
        /// The linked span.
        public var spanID: SpanID
        /// The link's attributes.
        public var attributes: SpanAttributes

        /// Creates a link.
        public init(traceID: TraceID, spanID: SpanID, attributes: SpanAttributes = [:]) {
            self.traceID = traceID
            self.spanID = spanID
            self.attributes = attributes
        }
    }

    /// The operation name, e.g. `http.server`.
    public var name: String
    /// Server, client, internal, producer or consumer.
    public var kind: SpanKind
    /// The span's ids; `traceFlags` says whether the trace was sampled (head or tail).
    public var context: SpanContext
    /// When the span started.
    public var start: RecordTime
    /// When the span ended.
    public var end: RecordTime
    /// The status set on the span, if any.
    public var status: SpanStatus?
    /// Typed attributes.
    public var attributes: SpanAttributes
    /// Events, in the order they were added.
    public var events: [SpanEvent]
    /// Links to other spans.
    public var links: [Link]
    /// The service that made the span.
    public var resource: SpanLogResource
    /// Attributes dropped by ``SpanLimits`` (the span's, its events' and its links').
    public var droppedAttributeCount: Int = 0
    /// Events dropped by ``SpanLimits``.
    public var droppedEventCount: Int = 0
    /// Links dropped by ``SpanLimits``.
    public var droppedLinkCount: Int = 0

    /// Creates a record.
    public init(
        name: String,
        kind: SpanKind = .internal,
        context: SpanContext,
        start: RecordTime,
        end: RecordTime,
        status: SpanStatus? = nil,
        attributes: SpanAttributes = [:],
        events: [SpanEvent] = [],
        links: [Link] = [],
        resource: SpanLogResource
    ) {
        self.name = name
        self.kind = kind
        self.context = context
        self.start = start
        self.end = end
        self.status = status
        self.attributes = attributes
        self.events = events
        self.links = links
        self.resource = resource
    }

    /// `end − start` in nanoseconds (0 if the clock went backwards).
    public var durationNanoseconds: UInt64 {
        self.end.nanoseconds(since: self.start)
    }

    /// Whether the span ended with error status.
    public var isError: Bool { self.status?.code == .error }
}

extension SpanKind {
    /// The lowercase name used in records: `internal`, `server`, `client`, `producer`, `consumer`.
    public var name: String { self.staticName.description }
}
