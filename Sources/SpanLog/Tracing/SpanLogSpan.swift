public import Instrumentation
import Synchronization
public import Tracing

/// A span of ``SpanLogTracer``. Safe to use from several tasks at once; `end` is idempotent (the
/// first call wins). A span that was not sampled or recorded is cheap: it only carries ids.
///
/// ```swift
/// tracer.withSpan("database.query", ofKind: .client) { span in
///     span.attributes["db.table"] = "users"
///     span.addEvent("cache miss")
/// }
/// ```
public struct SpanLogSpan: Tracing.Span {
    let storage: SpanStorage

    init(storage: SpanStorage) {
        self.storage = storage
    }

    /// The service context of this span: its parent's, with this span's ``SpanContext``.
    public var context: ServiceContext { self.storage.serviceContext }

    /// The span's ids.
    public var spanContext: SpanContext { self.storage.spanContext }

    /// Whether the span records attributes, events and its end (sampled or record-only).
    public var isRecording: Bool { self.storage.isRecording }

    public var operationName: String {
        get { self.storage.state.withLock { $0.name } }
        nonmutating set {
            guard self.storage.isRecording else { return }
            self.storage.state.withLock { if !$0.ended { $0.name = newValue } }
        }
    }

    public var attributes: SpanAttributes {
        get {
            self.storage.state.withLock { state in
                state.applyDeferredAttributes()
                return state.attributes
            }
        }
        nonmutating set {
            guard self.storage.isRecording else { return }
            self.storage.state.withLock { state in
                guard !state.ended else { return }
                state.deferredAttributes = nil
                state.attributes = newValue
            }
        }
        // `span.attributes["key"] = value` goes through here: the attributes are moved out of
        // the lock, changed in place (no copy-on-write copy of the dictionary), and moved back.
        // A writer that changes attributes concurrently is merged in, so no set is lost; an `end`
        // that comes while they are lent out waits for them (the last write-back ends the span).
        nonmutating _modify {
            // A span that records nothing takes the change and forgets it, without a lock or a
            // dictionary.
            guard self.storage.isRecording else {
                var discarded = SpanAttributes([:])
                yield &discarded
                return
            }
            let taken = self.storage.state.withLock { state -> (SpanAttributes, Bool) in
                // An ended span's attributes stay where they are (the change is forgotten).
                guard !state.ended else { return (SpanAttributes([:]), false) }
                state.applyDeferredAttributes()
                state.attributesLent += 1
                // The first write makes room for a typical span's attributes at once, rather
                // than growing the dictionary one insertion at a time.
                guard !state.attributes.isEmpty else { return (SpanAttributes(Dictionary(minimumCapacity: 8)), true) }
                let current = state.attributes
                state.attributes = SpanAttributes([:])
                return (current, true)
            }
            var attributes = taken.0
            let lent = taken.1
            defer {
                if lent { self.storage.giveBack(attributes) }
            }
            yield &attributes
        }
    }

    /// Sets attributes that are computed only when something reads them: when the span's record
    /// is built (a span the tail rule discards and no log line needs never builds one), or when
    /// `attributes` is read or changed. Writes made later still win over these. For attributes
    /// set just before `end`, such as an HTTP server span's. `build` runs under the span's lock,
    /// so it must not use the span.
    @usableFromInline
    package func setAttributesLazily(_ build: @escaping @Sendable (inout SpanAttributes) -> Void) {
        guard self.storage.isRecording else { return }
        self.storage.state.withLock { state in
            guard !state.ended else { return }
            state.applyDeferredAttributes()
            state.deferredAttributes = build
        }
    }

    public func setStatus(_ status: SpanStatus) {
        guard self.storage.isRecording else { return }
        self.storage.state.withLock { state in
            guard !state.ended else { return }
            // OpenTelemetry: once Ok, a span's status cannot go back to Error or Unset.
            if state.status?.code == .ok { return }
            state.status = status
        }
    }

    public func addEvent(_ event: SpanEvent) {
        guard self.storage.isRecording else { return }
        self.storage.add(event)
    }

    /// Adds an `exception` event with `exception.type` and `exception.message`, and sets the
    /// status to error.
    public func recordError<Instant: TracerInstant>(
        _ error: any Error,
        attributes: SpanAttributes,
        at instant: @autoclosure () -> Instant
    ) {
        guard self.storage.isRecording else { return }
        var eventAttributes = attributes
        eventAttributes["exception.type"] = String(reflecting: type(of: error))
        eventAttributes["exception.message"] = String(describing: error)
        let event = SpanEvent(name: "exception", at: instant(), attributes: eventAttributes)
        self.storage.add(event, errorStatus: SpanStatus(code: .error, message: String(describing: error)))
    }

    public func addLink(_ link: SpanLink) {
        guard self.storage.isRecording, let linked = link.context.spanContext else { return }
        let record = SpanRecord.Link(traceID: linked.traceID, spanID: linked.spanID, attributes: link.attributes)
        let limit = self.storage.limits.linkCountLimit
        self.storage.state.withLock { state in
            guard !state.ended else { return }
            if state.links.count < limit { state.links.append(record) } else { state.droppedLinks += 1 }
        }
    }

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        // A span that records nothing has nothing to end: not even the clock is read.
        guard self.storage.isRecording else { return }
        self.storage.end(at: RecordTime(clampingNanosecondsSinceEpoch: instant().nanosecondsSinceEpoch))
    }
}

/// The shared state behind a ``SpanLogSpan``; it is also what `ServiceContext` stores, so that a
/// context leads back to its span.
final class SpanStorage: SpanContextHolder, @unchecked Sendable {
    struct State {
        var name: String
        var attributes = SpanAttributes([:])
        var events: [SpanEvent] = []
        var links: [SpanRecord.Link] = []
        /// Events and links over ``SpanLimits``' counts.
        var droppedEvents = 0
        var droppedLinks = 0
        var status: SpanStatus?
        var ended = false
        /// Attributes set with `setAttributesLazily`, not yet computed.
        var deferredAttributes: (@Sendable (inout SpanAttributes) -> Void)?
        /// Writers that have the attributes out of the lock (see `attributes`' `_modify`).
        var attributesLent = 0
        /// An `end` that came while the attributes were lent out; the last writer finishes it.
        var deferredEnd: RecordTime?

        mutating func applyDeferredAttributes() {
            guard let deferred = self.deferredAttributes else { return }
            self.deferredAttributes = nil
            if self.attributes.isEmpty { self.attributes = SpanAttributes(Dictionary(minimumCapacity: 12)) }
            deferred(&self.attributes)
        }
    }

    let decision: SamplingDecision
    let kind: SpanKind
    let start: RecordTime
    /// True for the first span of a trace in this process (no parent, or a remote parent).
    let isLocalRoot: Bool
    /// True when the trace is rooted in this process, so the tail rule may keep it.
    let tailEligible: Bool
    let state: Mutex<State>
    private let pipeline: SpanPipeline?
    /// The parent's service context. The span's own context is derived from it on demand rather
    /// than stored, since storing it would make the span reference itself.
    private let parentContext: ServiceContext

    var isRecording: Bool { self.decision != .drop }

    init(
        spanContext: SpanContext,
        name: String,
        kind: SpanKind,
        start: RecordTime,
        decision: SamplingDecision,
        isLocalRoot: Bool,
        tailEligible: Bool,
        parentContext: ServiceContext,
        pipeline: SpanPipeline?
    ) {
        self.parentContext = parentContext
        self.decision = decision
        self.kind = kind
        self.start = start
        self.isLocalRoot = isLocalRoot
        self.tailEligible = tailEligible
        self.state = Mutex(State(name: name))
        self.pipeline = pipeline
        super.init(spanContext)
    }

    /// The tracer's span limits (the defaults for a span without a pipeline).
    var limits: SpanLimits { self.pipeline?.limits ?? SpanLimits() }

    /// Adds an event within the event count limit (counting what is over it), and sets
    /// `errorStatus` unless the status is already ok.
    func add(_ event: SpanEvent, errorStatus: SpanStatus? = nil) {
        let limit = self.limits.eventCountLimit
        self.state.withLock { state in
            guard !state.ended else { return }
            if state.events.count < limit { state.events.append(event) } else { state.droppedEvents += 1 }
            if let errorStatus, state.status?.code != .ok { state.status = errorStatus }
        }
    }

    var serviceContext: ServiceContext {
        var context = self.parentContext
        SpanContextEntry.set(self, in: &context)
        return context
    }

    /// Puts back attributes a writer took out of the lock, merging what others wrote meanwhile,
    /// and finishes an `end` that waited for them.
    func giveBack(_ attributes: SpanAttributes) {
        let waitingEnd: (RecordTime, Bool)? = self.state.withLock { state in
            state.attributesLent -= 1
            // After a finished end the change is forgotten, as every write after `end` is.
            guard !state.ended || state.deferredEnd != nil else { return nil }
            state.applyDeferredAttributes()
            if state.attributes.isEmpty {
                state.attributes = attributes
            } else {
                var merged = attributes
                merged.merge(state.attributes)
                state.attributes = merged
            }
            guard state.attributesLent == 0, let end = state.deferredEnd else { return nil }
            state.deferredEnd = nil
            return (end, state.status?.code == .error)
        }
        if let (end, isError) = waitingEnd { self.finish(at: end, isError: isError) }
    }

    func end(at end: RecordTime) {
        guard self.isRecording, self.pipeline != nil else { return }
        // Only the first end goes on. After it the state no longer changes (every writer checks
        // `ended`), so the record can be built from it later without copying it here. If a
        // writer has the attributes out, the end waits for it to put them back.
        let isError: Bool? = self.state.withLock { state in
            guard !state.ended else { return nil }
            state.ended = true
            if state.attributesLent > 0 {
                state.deferredEnd = end
                return nil
            }
            return state.status?.code == .error
        }
        guard let isError else { return }
        self.finish(at: end, isError: isError)
    }

    private func finish(at end: RecordTime, isError: Bool) {
        guard let pipeline = self.pipeline else { return }
        let start = self.start
        let duration = end.nanoseconds(since: start)
        pipeline.spanEnded(
            SpanPipeline.Ending(
                traceID: self.spanContext.traceID,
                decision: self.decision,
                isLocalRoot: self.isLocalRoot,
                tailEligible: self.tailEligible,
                isError: isError,
                durationNanoseconds: duration
            )
        ) {
            var record = self.state.withLock { finished in
                finished.applyDeferredAttributes()
                var record = SpanRecord(
                    name: finished.name,
                    kind: self.kind,
                    context: self.spanContext,
                    start: start,
                    end: end,
                    status: finished.status,
                    attributes: finished.attributes,
                    events: finished.events,
                    links: finished.links,
                    resource: pipeline.resource
                )
                record.droppedEventCount = finished.droppedEvents
                record.droppedLinkCount = finished.droppedLinks
                return record
            }
            pipeline.applyLimitsAndRedaction(to: &record)
            return record
        }
    }
}
