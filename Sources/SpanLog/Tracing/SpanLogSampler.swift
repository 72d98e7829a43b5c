public import Tracing

/// OpenTelemetry's three sampling outcomes.
///
/// ```swift
/// let decision = TraceIDRatioSampler(ratio: 0.02).shouldSample(traceID: id, parent: nil, name: "http.server", kind: .server)
/// ```
public enum SamplingDecision: Sendable, Hashable {
    /// Not recorded at all: the span is a no-op that still propagates ids.
    case drop
    /// Recorded (written to local files, a candidate for tail sampling) but not exported as sampled.
    case recordOnly
    /// Recorded and exported; the sampled flag is set.
    case recordAndSample
}

/// Decides, when a span starts, whether it is sampled.
///
/// ```swift
/// struct EverySecondTrace: SpanLogSampler {
///     func shouldSample(traceID: TraceID, parent: SpanContext?, name: String, kind: SpanKind) -> SamplingDecision {
///         traceID.low % 2 == 0 ? .recordAndSample : .drop
///     }
/// }
/// ```
public protocol SpanLogSampler: Sendable {
    /// The decision for a span about to start. `parent` is the parent span's context, local or
    /// remote, or `nil` for a root span.
    func shouldSample(traceID: TraceID, parent: SpanContext?, name: String, kind: SpanKind) -> SamplingDecision
}

/// Samples a fixed fraction of traces by trace id, making the same decision as the
/// OpenTelemetry SDKs' `TraceIdRatioBased` sampler (the Python SDK is the reference): a trace is
/// sampled when the low 64 bits of its id are below `round(ratio × 2⁶⁴)`. Every process that uses
/// the same ratio therefore keeps the same traces.
///
/// ```swift
/// let sampler = TraceIDRatioSampler(ratio: 0.02)  // the default 2 %
/// ```
public struct TraceIDRatioSampler: SpanLogSampler {
    /// The configured fraction, clamped to 0...1.
    public let ratio: Double
    /// Trace ids whose low 64 bits are below this are sampled.
    public let bound: UInt64
    private let samplesEverything: Bool

    /// Creates a sampler for `ratio` (values outside 0...1 are clamped).
    public init(ratio: Double) {
        let clamped = ratio.isNaN ? 0 : min(max(ratio, 0), 1)
        self.ratio = clamped
        // round(ratio * 2^64), computed in floating point as the Python SDK does.
        let scaled = (clamped * 18_446_744_073_709_551_616.0).rounded(.toNearestOrEven)
        self.samplesEverything = scaled >= 18_446_744_073_709_551_616.0
        self.bound = self.samplesEverything ? UInt64.max : UInt64(scaled)
    }

    /// Whether a trace id falls in the sampled fraction.
    public func isSampled(_ traceID: TraceID) -> Bool {
        self.samplesEverything || traceID.low < self.bound
    }

    public func shouldSample(traceID: TraceID, parent: SpanContext?, name: String, kind: SpanKind) -> SamplingDecision {
        self.isSampled(traceID) ? .recordAndSample : .drop
    }
}

/// Follows the parent's sampled flag when there is a parent, and asks `root` otherwise
/// (OpenTelemetry's `ParentBased`). A sampled remote parent is always followed.
///
/// ```swift
/// let sampler = ParentBasedSampler(root: TraceIDRatioSampler(ratio: 0.02))
/// ```
public struct ParentBasedSampler: SpanLogSampler {
    /// Decides for root spans.
    public let root: any SpanLogSampler

    /// Creates the sampler.
    public init(root: any SpanLogSampler) {
        self.root = root
    }

    public func shouldSample(traceID: TraceID, parent: SpanContext?, name: String, kind: SpanKind) -> SamplingDecision {
        guard let parent else {
            return self.root.shouldSample(traceID: traceID, parent: nil, name: name, kind: kind)
        }
        return parent.isSampled ? .recordAndSample : .drop
    }
}

/// Samples every span (`OTEL_TRACES_SAMPLER=always_on`) or none (`always_off`).
///
/// ```swift
/// let sampler = ConstantSampler(.recordAndSample)
/// ```
public struct ConstantSampler: SpanLogSampler {
    /// The decision for every span.
    public let decision: SamplingDecision

    /// Creates the sampler.
    public init(_ decision: SamplingDecision) {
        self.decision = decision
    }

    public func shouldSample(traceID: TraceID, parent: SpanContext?, name: String, kind: SpanKind) -> SamplingDecision {
        self.decision
    }
}
