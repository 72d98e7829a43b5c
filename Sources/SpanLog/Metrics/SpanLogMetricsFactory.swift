public import CoreMetrics
import Synchronization

/// SpanLog's swift-metrics backend: counters and floating-point counters as monotonic sums,
/// meters and non-aggregating recorders as gauges, aggregating recorders as explicit-bucket
/// histograms, timers as histograms in seconds (unit `s`). Values recorded inside a sampled span
/// carry its ids as exemplars (one per histogram bucket, one per counter series), so a metric
/// links to the trace that produced it. A ``PeriodicMetricReader`` collects it for exporters
/// (OTLP, the console); `Telemetry` builds both from the environment.
///
/// Each name has at most ``Configuration/cardinalityLimit`` label sets; later ones go to the
/// series `otel.metric.overflow=true`, counted in ``statistics`` and reported once per name.
///
/// ```swift
/// let factory = SpanLogMetricsFactory()
/// let requests = Counter(label: "requests_total", dimensions: [("route", "/users/{id}")], factory: factory)
/// requests.increment()
/// let streams = factory.collect(temporality: .cumulative)
/// ```
public final class SpanLogMetricsFactory: MetricsFactory, Sendable {
    private struct InstrumentKey: Hashable {
        var name: String
        var kind: InstrumentKind
    }

    /// How values are aggregated.
    public let configuration: Configuration
    private let instruments = Mutex<[InstrumentKey: any CollectableInstrument]>([:])
    private let overflowedLabelSets = Atomic<UInt64>(0)
    private let instrumentsAtLimit = Atomic<Int>(0)
    private let collecting = Mutex(())
    private let warn: @Sendable (String) -> Void

    /// Creates the backend; `warn` receives the cardinality warnings (standard error by default).
    public convenience init(configuration: Configuration = Configuration()) {
        self.init(configuration: configuration, warn: { reportToStandardError($0) })
    }

    /// Creates the backend with its own warning sink (tests, a logger).
    package init(configuration: Configuration, warn: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.warn = warn
    }

    /// What the backend has had to leave out.
    public var statistics: Statistics {
        Statistics(overflowedLabelSets: self.overflowedLabelSets.load(ordering: .relaxed), instrumentsAtLimit: self.instrumentsAtLimit.load(ordering: .relaxed))
    }

    // MARK: MetricsFactory

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let filter = self.configuration.exemplarFilter
        return self.series(label, .counter, unit: "", dimensions) { CounterSeries(attributes: $0, filter: filter) }
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        let filter = self.configuration.exemplarFilter
        return self.series(label, .floatingPointCounter, unit: "", dimensions) { FloatingPointCounterSeries(attributes: $0, filter: filter) }
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        self.series(label, .gauge, unit: "", dimensions) { GaugeSeries(attributes: $0) }
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else {
            return self.series(label, .gauge, unit: "", dimensions) { GaugeSeries(attributes: $0) }
        }
        let filter = self.configuration.exemplarFilter
        let bounds = self.configuration.boundaries(for: label, timer: false)
        return self.series(label, .histogram, unit: "", dimensions) { HistogramSeries(attributes: $0, bounds: bounds, filter: filter) }
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let filter = self.configuration.exemplarFilter
        let bounds = self.configuration.boundaries(for: label, timer: true)
        return self.series(label, .timer, unit: "s", dimensions) { HistogramSeries(attributes: $0, bounds: bounds, filter: filter) }
    }

    public func destroyCounter(_ handler: any CounterHandler) {
        self.remove(handler, .counter)
    }

    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        self.remove(handler, .floatingPointCounter)
    }

    public func destroyMeter(_ handler: any MeterHandler) {
        self.remove(handler, .gauge)
    }

    public func destroyRecorder(_ handler: any RecorderHandler) {
        self.remove(handler, handler is HistogramSeries ? .histogram : .gauge)
    }

    public func destroyTimer(_ handler: any TimerHandler) {
        self.remove(handler, .timer)
    }

    // MARK: Collection

    /// Every instrument's points now: cumulative (each point counts since its series' first
    /// recording, with that start time) or delta (what changed since the previous delta
    /// collection, which is the start time; series without a change are left out). Collections
    /// are serialized; one consumer should ask for delta (each delta collection starts the next
    /// interval).
    public func collect(temporality: MetricTemporality) -> [MetricStream] {
        self.collecting.withLock { _ in
            let instruments = self.instruments.withLock { Array($0.values) }
            let now = MetricClock.now()
            return instruments.compactMap { $0.collect(temporality: temporality, now: now) }
                .sorted { $0.name < $1.name }
        }
    }

    // MARK: Storage

    private func series<Series: MetricSeries>(
        _ label: String, _ kind: InstrumentKind, unit: String, _ dimensions: [(String, String)],
        make: @escaping @Sendable ([(key: String, value: String)]) -> Series
    ) -> Series {
        let key = InstrumentKey(name: label, kind: kind)
        let limit = self.configuration.cardinalityLimit
        let instrument = self.instruments.withLock { instruments -> MetricInstrument<Series> in
            if let existing = instruments[key] as? MetricInstrument<Series> { return existing }
            let created = MetricInstrument(name: label, kind: kind, unit: unit, limit: limit, makeSeries: make)
            instruments[key] = created
            return created
        }
        let found = instrument.series(for: dimensions)
        if found.overflowed {
            self.overflowedLabelSets.wrappingAdd(1, ordering: .relaxed)
        }
        if found.reachedLimit {
            self.instrumentsAtLimit.wrappingAdd(1, ordering: .relaxed)
            self.warn(
                "metric \(label) reached its cardinality limit of \(max(2, limit)) label sets; "
                    + "values of further label sets are aggregated into its series otel.metric.overflow=true")
        }
        return found.series
    }

    private func remove(_ handler: AnyObject, _ kind: InstrumentKind) {
        let all = self.instruments.withLock { instruments in instruments.filter { $0.key.kind == kind }.map(\.value) }
        for instrument in all { instrument.remove(handler) }
    }
}
