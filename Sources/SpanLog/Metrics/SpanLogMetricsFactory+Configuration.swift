extension SpanLogMetricsFactory {
    /// How the backend aggregates: histogram boundaries, the cardinality limit, the exemplar
    /// filter. `Telemetry` fills it from the environment (`docs/configuration.md`).
    ///
    /// ```swift
    /// var configuration = SpanLogMetricsFactory.Configuration()
    /// configuration.histogramBoundaries["payload_bytes"] = [1024, 16_384, 262_144, 1_048_576]
    /// configuration.cardinalityLimit = 500
    /// let factory = SpanLogMetricsFactory(configuration: configuration)
    /// ```
    public struct Configuration: Sendable {
        /// OpenTelemetry's default explicit-bucket boundaries (the Metrics SDK specification),
        /// made for milliseconds: `[0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]`.
        public static let openTelemetryDefaultBoundaries: [Double] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]
        /// The boundaries for durations in seconds (timers): the same shape scaled to seconds,
        /// as OpenTelemetry's HTTP semantic conventions advise for `http.server.request.duration`:
        /// `[0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]`.
        public static let secondsBoundaries: [Double] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
        /// The Metrics SDK specification's default cardinality limit per instrument.
        public static let defaultCardinalityLimit = 2000

        /// Boundaries of aggregating recorders without boundaries of their own.
        public var defaultBoundaries: [Double] = Self.openTelemetryDefaultBoundaries
        /// Boundaries of timers (seconds) without boundaries of their own.
        public var timerBoundaries: [Double] = Self.secondsBoundaries
        /// Boundaries by metric name (swift-metrics' label), for recorders and timers; sorted and
        /// without duplicates or non-finite values when used.
        public var histogramBoundaries: [String: [Double]] = [:]
        /// The most label sets one instrument keeps, the overflow series included (at least 2):
        /// label sets beyond it are aggregated into the series `otel.metric.overflow=true`.
        public var cardinalityLimit: Int = Self.defaultCardinalityLimit
        /// Which values may become exemplars (`OTEL_METRICS_EXEMPLAR_FILTER`).
        public var exemplarFilter: MetricExemplarFilter = .traceBased

        /// The defaults: OpenTelemetry's boundaries, 2000 label sets, trace-based exemplars.
        public init() {}

        /// The boundaries a histogram named `name` uses.
        func boundaries(for name: String, timer: Bool) -> [Double] {
            guard let configured = self.histogramBoundaries[name] else {
                return timer ? self.timerBoundaries : self.defaultBoundaries
            }
            return Array(Set(configured.filter(\.isFinite))).sorted()
        }
    }

    /// What the backend has had to leave out.
    ///
    /// ```swift
    /// if factory.statistics.overflowedLabelSets > 0 { print("some label sets went to the overflow series") }
    /// ```
    public struct Statistics: Sendable, Hashable {
        /// Handlers made for a new label set of an instrument already at its cardinality limit:
        /// their values went to the instrument's overflow series.
        public var overflowedLabelSets: UInt64 = 0
        /// Instruments that reached their cardinality limit.
        public var instrumentsAtLimit: Int = 0
    }
}
