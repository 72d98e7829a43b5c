import Synchronization

/// What kind of swift-metrics instrument a name was made as; a name made as two kinds is two
/// instruments.
///
/// ```swift
/// let kind = InstrumentKind.timer
/// ```
enum InstrumentKind: Hashable, Sendable {
    case counter
    case floatingPointCounter
    case gauge
    case histogram
    case timer
}

/// A label set as a dictionary key: the pairs sorted by key, so that the same dimensions given
/// in another order find the same series.
///
/// ```swift
/// let key = MetricAttributeKey([("route", "/"), ("method", "GET")])
/// ```
struct MetricAttributeKey: Hashable, Sendable {
    let flattened: [String]

    init(_ dimensions: [(String, String)]) {
        var flattened: [String] = []
        flattened.reserveCapacity(dimensions.count * 2)
        for (key, value) in dimensions.sorted(by: { $0.0 < $1.0 }) {
            flattened.append(key)
            flattened.append(value)
        }
        self.flattened = flattened
    }
}

/// One instrument (a name and a kind) and its series, one per label set, bounded by the
/// cardinality limit: past it, new label sets share the overflow series, whose only attribute
/// is `otel.metric.overflow=true` (the Metrics SDK specification's name).
///
/// ```swift
/// let instrument = MetricInstrument(name: "jobs_total", kind: .counter, unit: "", limit: 2000) { attributes in
///     CounterSeries(attributes: attributes, filter: .traceBased)
/// }
/// let series = instrument.series(for: [("queue", "mail")]).series
/// ```
final class MetricInstrument<Series: MetricSeries>: Sendable {
    /// The overflow series' attribute.
    static var overflowAttribute: (key: String, value: String) { ("otel.metric.overflow", "true") }

    private struct State {
        var series: [MetricAttributeKey: Series] = [:]
        var overflow: Series?
    }

    let name: String
    let kind: InstrumentKind
    let unit: String
    private let limit: Int
    private let makeSeries: @Sendable ([(key: String, value: String)]) -> Series
    private let state = Mutex(State())

    init(name: String, kind: InstrumentKind, unit: String, limit: Int, makeSeries: @escaping @Sendable ([(key: String, value: String)]) -> Series) {
        self.name = name
        self.kind = kind
        self.unit = unit
        self.limit = max(2, limit)
        self.makeSeries = makeSeries
    }

    /// The series for `dimensions`, made on first use; `overflowed` when the instrument was at
    /// its limit and the overflow series was returned, `reachedLimit` when this call was the one
    /// that first overflowed.
    func series(for dimensions: [(String, String)]) -> (series: Series, overflowed: Bool, reachedLimit: Bool) {
        let key = MetricAttributeKey(dimensions)
        return self.state.withLock { state in
            if let existing = state.series[key] { return (existing, false, false) }
            // The overflow series counts toward the limit.
            if state.series.count >= self.limit - 1 {
                if let overflow = state.overflow { return (overflow, true, false) }
                let overflow = self.makeSeries([Self.overflowAttribute])
                state.overflow = overflow
                return (overflow, true, true)
            }
            let created = self.makeSeries(dimensions.map { (key: $0.0, value: $0.1) })
            state.series[key] = created
            return (created, false, false)
        }
    }

    /// Forgets `series` (swift-metrics' `destroy`), freeing its place under the limit; the
    /// overflow series stays.
    func remove(_ series: AnyObject) {
        self.state.withLock { state in
            guard let found = state.series.first(where: { $0.value === series }) else { return }
            state.series.removeValue(forKey: found.key)
        }
    }

    /// Every series, the overflow series last.
    func allSeries() -> [Series] {
        self.state.withLock { state in
            var all = Array(state.series.values)
            if let overflow = state.overflow { all.append(overflow) }
            return all
        }
    }
}

/// An instrument of any series type, as the factory keeps and collects them.
///
/// ```swift
/// let stream = instrument.collect(temporality: .cumulative, now: MetricClock.now())
/// ```
protocol CollectableInstrument: AnyObject, Sendable {
    /// The instrument's stream at `now`, or `nil` when no series has a point.
    func collect(temporality: MetricTemporality, now: UInt64) -> MetricStream?
    /// Forgets `series` if it is one of this instrument's.
    func remove(_ series: AnyObject)
}

extension MetricInstrument: CollectableInstrument {
    func collect(temporality: MetricTemporality, now: UInt64) -> MetricStream? {
        let points = self.allSeries().compactMap { $0.collect(temporality: temporality, now: now) }
        guard !points.isEmpty else { return nil }
        let streamKind: MetricStream.Kind =
            switch self.kind {
            case .counter, .floatingPointCounter: .sum(monotonic: true)
            case .gauge: .gauge
            case .histogram, .timer: .histogram
            }
        return MetricStream(name: self.name, unit: self.unit, kind: streamKind, temporality: temporality, points: points)
    }
}
