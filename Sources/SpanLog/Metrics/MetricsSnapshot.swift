/// What a metric reader collected at one moment: every instrument's points, ready for an
/// exporter (OTLP, the console, a test). Times are nanoseconds since the Unix epoch.
///
/// ```swift
/// for metric in snapshot.metrics {
///     print(metric.name, metric.points.count)
/// }
/// ```
public struct MetricsSnapshot: Sendable {
    /// What produced the data (the same resource as on spans and log records).
    public var resource: SpanLogResource
    /// One entry per instrument name.
    public var metrics: [MetricStream]

    /// Creates a snapshot.
    public init(resource: SpanLogResource, metrics: [MetricStream]) {
        self.resource = resource
        self.metrics = metrics
    }
}

/// How a sum or histogram counts: since the process started (cumulative) or since the last
/// export (delta). OpenTelemetry's `AggregationTemporality`.
///
/// ```swift
/// let temporality = MetricTemporality.cumulative
/// ```
public enum MetricTemporality: String, Sendable, Hashable, CaseIterable {
    /// Each point counts everything since the stream's start time.
    case cumulative
    /// Each point counts what happened since the previous export.
    case delta
}

/// One instrument's data: its name, unit, kind and one point per label set.
///
/// ```swift
/// let stream = MetricStream(name: "jobs_total", kind: .sum(monotonic: true), temporality: .cumulative, points: [])
/// ```
public struct MetricStream: Sendable {
    /// What kind of instrument produced the points.
    public enum Kind: Sendable, Hashable {
        /// A counter (`monotonic`) or an up-down sum.
        case sum(monotonic: Bool)
        /// The last value set (swift-metrics gauges, meters, non-aggregating recorders).
        case gauge
        /// An explicit-bucket histogram (timers, aggregating recorders).
        case histogram
    }

    /// The metric's name (swift-metrics' label).
    public var name: String
    /// The unit, e.g. `s` (UCUM), or empty.
    public var unit: String
    /// A description, or empty.
    public var description: String
    /// The kind.
    public var kind: Kind
    /// Cumulative or delta (ignored for gauges).
    public var temporality: MetricTemporality
    /// One point per label set.
    public var points: [MetricPoint]

    /// Creates a stream.
    public init(name: String, unit: String = "", description: String = "", kind: Kind, temporality: MetricTemporality, points: [MetricPoint]) {
        self.name = name
        self.unit = unit
        self.description = description
        self.kind = kind
        self.temporality = temporality
        self.points = points
    }
}

/// One label set's value at export time.
///
/// ```swift
/// let point = MetricPoint(attributes: [("route", "/users/{id}")], startTime: start, time: now, value: .integer(42))
/// ```
public struct MetricPoint: Sendable {
    /// A point's value.
    public enum Value: Sendable {
        /// An integer sum or gauge.
        case integer(Int64)
        /// A floating-point sum or gauge.
        case double(Double)
        /// A histogram.
        case histogram(HistogramValue)
    }

    /// The label set (swift-metrics' dimensions), in the order they were given.
    public var attributes: [(key: String, value: String)]
    /// Nanoseconds since the epoch when the counting began (cumulative: the stream's first
    /// recording; delta: the previous export).
    public var startTime: UInt64
    /// Nanoseconds since the epoch of the collection.
    public var time: UInt64
    /// The value.
    public var value: Value
    /// Samples recorded inside sampled spans, linking this point to traces.
    public var exemplars: [MetricExemplar]

    /// Creates a point.
    public init(attributes: [(key: String, value: String)], startTime: UInt64, time: UInt64, value: Value, exemplars: [MetricExemplar] = []) {
        self.attributes = attributes
        self.startTime = startTime
        self.time = time
        self.value = value
        self.exemplars = exemplars
    }
}

/// An explicit-bucket histogram's data: bucket `i` counts values `v` with
/// `bounds[i-1] < v <= bounds[i]` (the last bucket is everything above the last bound), so there
/// is one more count than bounds.
///
/// ```swift
/// let value = HistogramValue(count: 2, sum: 0.3, min: 0.1, max: 0.2, bounds: [0.25], bucketCounts: [2, 0])
/// ```
public struct HistogramValue: Sendable {
    /// How many values were recorded.
    public var count: UInt64
    /// Their sum.
    public var sum: Double
    /// The smallest value, if any was recorded.
    public var min: Double?
    /// The largest value, if any was recorded.
    public var max: Double?
    /// The upper bounds, ascending.
    public var bounds: [Double]
    /// One count per bucket: `bounds.count + 1` entries.
    public var bucketCounts: [UInt64]

    /// Creates a histogram value.
    public init(count: UInt64, sum: Double, min: Double?, max: Double?, bounds: [Double], bucketCounts: [UInt64]) {
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.bounds = bounds
        self.bucketCounts = bucketCounts
    }
}

/// A recorded value together with the sampled span it was recorded in: OpenTelemetry's
/// exemplar, the link from a histogram bucket or a counter to a trace.
///
/// ```swift
/// let exemplar = MetricExemplar(value: .double(0.42), time: now, traceID: context.traceID, spanID: context.spanID)
/// ```
public struct MetricExemplar: Sendable {
    /// The recorded value (integer for integer instruments).
    public var value: MetricPoint.Value
    /// Nanoseconds since the epoch of the recording.
    public var time: UInt64
    /// The trace the value was recorded in.
    public var traceID: TraceID
    /// The span it was recorded in.
    public var spanID: SpanID

    /// Creates an exemplar.
    public init(value: MetricPoint.Value, time: UInt64, traceID: TraceID, spanID: SpanID) {
        self.value = value
        self.time = time
        self.traceID = traceID
        self.spanID = spanID
    }
}
