import SpanLog

/// `ExportMetricsServiceRequest` (`opentelemetry/proto/collector/metrics/v1`) and the messages of
/// `opentelemetry/proto/metrics/v1/metrics.proto`, by field number:
///
/// - `ExportMetricsServiceRequest`: resource_metrics 1. `ResourceMetrics`: resource 1,
///   scope_metrics 2. `ScopeMetrics`: scope 1, metrics 2.
/// - `Metric`: name 1, description 2, unit 3, gauge 5, sum 7, histogram 9 (a `oneof`).
///   `Gauge`: data_points 1. `Sum`: data_points 1, aggregation_temporality 2 (DELTA 1,
///   CUMULATIVE 2), is_monotonic 3. `Histogram`: data_points 1, aggregation_temporality 2.
/// - `NumberDataPoint`: start_time_unix_nano 2 (fixed64), time_unix_nano 3 (fixed64),
///   as_double 4, exemplars 5, as_int 6 (sfixed64), attributes 7.
/// - `HistogramDataPoint`: start_time_unix_nano 2, time_unix_nano 3, count 4 (fixed64), sum 5,
///   bucket_counts 6 (packed fixed64), explicit_bounds 7 (packed double), exemplars 8,
///   attributes 9, min 11, max 12.
/// - `Exemplar`: time_unix_nano 2 (fixed64), as_double 3, span_id 4, trace_id 5 (bytes),
///   as_int 6 (sfixed64).
extension ProtobufWriter {
    mutating func metricsRequest(_ snapshot: MetricsSnapshot) {
        guard !snapshot.metrics.isEmpty else { return }
        self.message(field: 1) { resourceMetrics in
            resourceMetrics.resource(field: 1, snapshot.resource)
            resourceMetrics.message(field: 2) { scopeMetrics in
                scopeMetrics.scope(field: 1)
                for metric in snapshot.metrics {
                    scopeMetrics.message(field: 2) { $0.metric(metric) }
                }
            }
        }
    }

    /// The body of one `Metric`.
    mutating func metric(_ metric: MetricStream) {
        self.string(field: 1, metric.name)
        if !metric.description.isEmpty { self.string(field: 2, metric.description) }
        if !metric.unit.isEmpty { self.string(field: 3, metric.unit) }
        switch metric.kind {
        case .gauge:
            self.message(field: 5) { gauge in
                for point in metric.points {
                    gauge.message(field: 1) { $0.numberDataPoint(point) }
                }
            }
        case .sum(let monotonic):
            self.message(field: 7) { sum in
                for point in metric.points {
                    sum.message(field: 1) { $0.numberDataPoint(point) }
                }
                sum.uint64(field: 2, metric.temporality.otlpNumber)
                if monotonic { sum.bool(field: 3, true) }
            }
        case .histogram:
            self.message(field: 9) { histogram in
                for point in metric.points {
                    histogram.message(field: 1) { $0.histogramDataPoint(point) }
                }
                histogram.uint64(field: 2, metric.temporality.otlpNumber)
            }
        }
    }

    /// The body of a `NumberDataPoint` (a histogram value writes only times and attributes: the
    /// exporter leaves such points out before encoding).
    mutating func numberDataPoint(_ point: MetricPoint) {
        if point.startTime != 0 { self.fixed64(field: 2, point.startTime) }
        self.fixed64(field: 3, point.time)
        switch point.value {
        case .integer(let value): self.fixed64(field: 6, UInt64(bitPattern: value))
        case .double(let value): self.double(field: 4, value)
        case .histogram: break
        }
        for exemplar in point.exemplars {
            self.message(field: 5) { $0.exemplar(exemplar) }
        }
        self.metricAttributes(field: 7, point.attributes)
    }

    /// The body of a `HistogramDataPoint`.
    mutating func histogramDataPoint(_ point: MetricPoint) {
        self.fixed64(field: 2, point.startTime)
        self.fixed64(field: 3, point.time)
        if case .histogram(let histogram) = point.value {
            self.fixed64(field: 4, histogram.count)
            self.double(field: 5, histogram.sum)
            self.packedFixed64(field: 6, histogram.bucketCounts)
            self.packedDouble(field: 7, histogram.bounds)
            if let min = histogram.min { self.double(field: 11, min) }
            if let max = histogram.max { self.double(field: 12, max) }
        }
        for exemplar in point.exemplars {
            self.message(field: 8) { $0.exemplar(exemplar) }
        }
        self.metricAttributes(field: 9, point.attributes)
    }

    /// The body of an `Exemplar`: its value, time and the span it was recorded in.
    mutating func exemplar(_ exemplar: MetricExemplar) {
        self.fixed64(field: 2, exemplar.time)
        switch exemplar.value {
        case .integer(let value): self.fixed64(field: 6, UInt64(bitPattern: value))
        case .double(let value): self.double(field: 3, value)
        case .histogram: break
        }
        self.id64(field: 4, exemplar.spanID.rawValue)
        self.id128(field: 5, high: exemplar.traceID.high, low: exemplar.traceID.low)
    }

    /// A label set as repeated `KeyValue` with string values.
    private mutating func metricAttributes(field: Int, _ attributes: [(key: String, value: String)]) {
        for attribute in attributes {
            self.keyValue(field: field, key: attribute.key) { $0.string(field: 1, attribute.value) }
        }
    }
}

extension MetricTemporality {
    /// OTLP's `AggregationTemporality`: DELTA 1, CUMULATIVE 2.
    var otlpNumber: UInt64 {
        switch self {
        case .delta: 1
        case .cumulative: 2
        }
    }
}
