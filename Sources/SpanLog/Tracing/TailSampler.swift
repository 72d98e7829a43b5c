import Synchronization

/// Holds the spans of traces that were recorded but not head-sampled until their local root
/// ends, then keeps the whole trace if any span ended with error status or the root took longer
/// than the slow threshold ("errors and slow requests are always sampled"), and forgets it
/// otherwise. Memory is bounded per trace and in total; what the bounds evict is counted.
///
/// ```swift
/// let tracer = SpanLogTracer(configuration: .init(tailSampling: .init(slowThresholdMilliseconds: 2000)),
///                            exporter: ConsoleSpanExporter())
/// print(tracer.tailSampler?.statistics.keptForLatency ?? 0)
/// ```
public final class TailSampler: Sendable {
    /// Limits and the slow threshold.
    public struct Configuration: Sendable, Hashable {
        /// `TELEMETRY_SLOW_REQUEST_MS`: a root span longer than this keeps its trace.
        public var slowThresholdMilliseconds: Int
        /// Traces waiting for their root at once; the oldest is evicted beyond this.
        public var maxPendingTraces: Int
        /// Spans kept per pending trace; later ones are evicted (counted).
        public var maxSpansPerTrace: Int
        /// Spans kept across all pending traces.
        public var maxPendingSpans: Int
        /// Bytes of spans (an estimate of their strings and values) kept across all pending traces; the
        /// oldest traces are evicted beyond this.
        public var maxPendingBytes: Int

        /// Creates a configuration (defaults: 2000 ms, 2048 traces, 256 spans per trace, 16384
        /// spans, 64 MiB).
        public init(
            slowThresholdMilliseconds: Int = 2000,
            maxPendingTraces: Int = 2048,
            maxSpansPerTrace: Int = 256,
            maxPendingSpans: Int = 16384,
            maxPendingBytes: Int = 64 << 20
        ) {
            self.maxPendingBytes = max(1, maxPendingBytes)
            self.slowThresholdMilliseconds = slowThresholdMilliseconds
            self.maxPendingTraces = max(1, maxPendingTraces)
            self.maxSpansPerTrace = max(1, maxSpansPerTrace)
            self.maxPendingSpans = max(1, maxPendingSpans)
        }
    }

    /// Counters since start.
    public struct Statistics: Sendable, Hashable {
        /// Traces kept because of an error.
        public var keptForError: UInt64 = 0
        /// Traces kept because the root was slow.
        public var keptForLatency: UInt64 = 0
        /// Traces that ended normally and were not exported.
        public var discarded: UInt64 = 0
        /// Spans evicted by the memory bounds.
        public var evictedSpans: UInt64 = 0
    }

    private struct PendingTrace {
        var spans: [SpanRecord] = []
        var bytes = 0
        var hasError = false
        var sequence: UInt64
    }

    private struct State {
        var pending: [TraceID: PendingTrace] = [:]
        var pendingSpans = 0
        var pendingBytes = 0
        var sequence: UInt64 = 0
        /// Pending traces oldest first, as (trace, sequence) from `order[orderStart...]`; an entry
        /// whose trace has gone (or came back with a newer sequence) is skipped. Eviction takes
        /// from the front, so it is O(1) amortised rather than a search of every pending trace.
        var order: [(traceID: TraceID, sequence: UInt64)] = []
        var orderStart = 0
        /// Traces kept recently, so that a child ending after its root is exported too.
        var recentlyKept: [TraceID] = []
        var recentlyKeptSet: Set<TraceID> = []
        var statistics = Statistics()
    }

    /// The limits.
    public let configuration: Configuration
    private let state = Mutex(State())
    private static let recentlyKeptLimit = 1024

    /// Creates a tail sampler (the tracer makes its own from `Configuration.tailSampling`).
    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The counters so far.
    public var statistics: Statistics { self.state.withLock { $0.statistics } }

    /// How many spans are waiting for their trace's decision.
    public var pendingSpanCount: Int { self.state.withLock { $0.pendingSpans } }

    /// Takes a recorded, unsampled span that is not its trace's local root. Returns the spans to
    /// export now: the span alone (sampled) if its trace was kept already, otherwise nothing (it
    /// waits for the root, or its trace was discarded).
    func offer(_ span: SpanRecord) -> [SpanRecord] {
        self.state.withLock { state in
            let traceID = span.context.traceID
            if !state.recentlyKept.isEmpty, state.recentlyKeptSet.contains(traceID) {
                return [Self.sampled(span)]
            }
            var trace = state.pending.removeValue(forKey: traceID) ?? {
                state.sequence += 1
                state.order.append((traceID, state.sequence))
                return PendingTrace(sequence: state.sequence)
            }()
            trace.hasError = trace.hasError || span.isError
            let bytes = span.estimatedByteCount
            if trace.spans.count < self.configuration.maxSpansPerTrace, bytes <= self.configuration.maxPendingBytes {
                trace.spans.append(span)
                trace.bytes += bytes
                state.pendingSpans += 1
                state.pendingBytes += bytes
            } else {
                state.statistics.evictedSpans += 1
            }
            state.pending[traceID] = trace
            self.evictIfNeeded(&state)
            return []
        }
    }

    /// The local root of a recorded, unsampled trace ended. Returns `nil` when the trace is
    /// discarded, otherwise the spans waiting for it (sampled), to be exported with the root.
    /// A discarded trace needs no record of its root at all.
    func rootEnded(_ traceID: TraceID, isError: Bool, durationNanoseconds: UInt64) -> [SpanRecord]? {
        self.state.withLock { state in
            if !state.recentlyKept.isEmpty, state.recentlyKeptSet.contains(traceID) {
                return []
            }
            let trace = state.pending.isEmpty ? nil : state.pending.removeValue(forKey: traceID)
            state.pendingSpans -= trace?.spans.count ?? 0
            state.pendingBytes -= trace?.bytes ?? 0
            let hasError = isError || trace?.hasError == true
            let slow = durationNanoseconds > UInt64(max(self.configuration.slowThresholdMilliseconds, 0)) * 1_000_000
            guard hasError || slow else {
                state.statistics.discarded += 1
                return nil
            }
            if hasError { state.statistics.keptForError += 1 } else { state.statistics.keptForLatency += 1 }
            state.recentlyKept.append(traceID)
            state.recentlyKeptSet.insert(traceID)
            if state.recentlyKept.count > Self.recentlyKeptLimit {
                state.recentlyKeptSet.remove(state.recentlyKept.removeFirst())
            }
            return trace?.spans.map(Self.sampled) ?? []
        }
    }

    private func evictIfNeeded(_ state: inout State) {
        while state.pending.count > self.configuration.maxPendingTraces
            || state.pendingSpans > self.configuration.maxPendingSpans
            || state.pendingBytes > self.configuration.maxPendingBytes
        {
            guard state.orderStart < state.order.count else { break }
            let oldest = state.order[state.orderStart]
            state.orderStart += 1
            guard let trace = state.pending[oldest.traceID], trace.sequence == oldest.sequence else { continue }
            state.pending.removeValue(forKey: oldest.traceID)
            state.pendingSpans -= trace.spans.count
            state.pendingBytes -= trace.bytes
            state.statistics.evictedSpans += UInt64(trace.spans.count)
        }
        // Entries of traces that ended are dropped once they are most of the list.
        if state.order.count - state.orderStart > 2 * state.pending.count + 64 || state.orderStart > state.order.count / 2 {
            let live = state.order[state.orderStart...].filter { state.pending[$0.traceID]?.sequence == $0.sequence }
            state.order = Array(live)
            state.orderStart = 0
        }
    }

    static func sampled(_ span: SpanRecord) -> SpanRecord {
        var span = span
        span.context.traceFlags.insert(.sampled)
        return span
    }
}
