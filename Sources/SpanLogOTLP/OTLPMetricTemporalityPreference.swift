public import SpanLog

/// `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`: which aggregation temporality the OTLP
/// metric exporter asks for, per instrument kind, as the OpenTelemetry specification defines it.
/// swift-metrics has only synchronous instruments, so `delta` and `lowmemory` choose alike:
///
/// | preference | counters (monotonic sums) | histograms | up-down sums |
/// |---|---|---|---|
/// | `cumulative` (default) | cumulative | cumulative | cumulative |
/// | `delta` | delta | delta | cumulative |
/// | `lowmemory` | delta | delta | cumulative |
///
/// Gauges have no temporality.
///
/// ```swift
/// let preference = OTLPMetricTemporalityPreference.delta
/// print(preference.temporality(for: .sum(monotonic: true)))  // delta
/// ```
public enum OTLPMetricTemporalityPreference: String, Sendable, Hashable, CaseIterable {
    /// Everything cumulative (Prometheus-style backends).
    case cumulative
    /// Counters and histograms as deltas; up-down sums cumulative.
    case delta
    /// Synchronous counters and histograms as deltas; everything else cumulative.
    case lowmemory

    /// The temporality for an instrument of `kind`.
    public func temporality(for kind: MetricStream.Kind) -> MetricTemporality {
        switch (self, kind) {
        case (.cumulative, _): .cumulative
        case (_, .sum(monotonic: true)), (_, .histogram): .delta
        case (_, .sum(monotonic: false)), (_, .gauge): .cumulative
        }
    }

    /// The one temporality of a reader that applies a single choice to every sum and histogram:
    /// the counters' and histograms'.
    public var temporality: MetricTemporality {
        self == .cumulative ? .cumulative : .delta
    }
}
