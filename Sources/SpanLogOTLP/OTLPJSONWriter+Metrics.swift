import SpanLog

/// `ExportMetricsServiceRequest` in OTLP/JSON: `{"resourceMetrics":[{"resource":…,"scopeMetrics":[{
/// "scope":…,"metrics":[{"name":…,"sum":{"dataPoints":[…],"aggregationTemporality":2,
/// "isMonotonic":true}}]}]}]}`. `asInt`, `count`, `bucketCounts` and the times are 64-bit, so
/// decimal strings; `asDouble`, `sum`, `min`, `max` and `explicitBounds` numbers; an exemplar's
/// `traceId`/`spanId` lowercase hex.
extension OTLPJSONWriter {
    mutating func metricsRequest(_ snapshot: MetricsSnapshot) {
        self.object { request in
            request.key("resourceMetrics")
            request.array { list in
                guard !snapshot.metrics.isEmpty else { return }
                list.arrayElement()
                list.object { resourceMetrics in
                    resourceMetrics.resource(snapshot.resource)
                    resourceMetrics.key("scopeMetrics")
                    resourceMetrics.array { scopes in
                        scopes.arrayElement()
                        scopes.object { scopeMetrics in
                            scopeMetrics.scope()
                            scopeMetrics.key("metrics")
                            scopeMetrics.array { metrics in
                                for metric in snapshot.metrics {
                                    metrics.arrayElement()
                                    metrics.object { $0.metric(metric) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The members of one `Metric` object.
    mutating func metric(_ metric: MetricStream) {
        self.key("name")
        self.string(metric.name)
        if !metric.description.isEmpty {
            self.key("description")
            self.string(metric.description)
        }
        if !metric.unit.isEmpty {
            self.key("unit")
            self.string(metric.unit)
        }
        switch metric.kind {
        case .gauge:
            self.key("gauge")
            self.object { $0.dataPoints(metric.points) { $0.numberDataPoint($1) } }
        case .sum(let monotonic):
            self.key("sum")
            self.object { sum in
                sum.dataPoints(metric.points) { $0.numberDataPoint($1) }
                sum.key("aggregationTemporality")
                sum.integer(Int(metric.temporality.otlpNumber))
                if monotonic {
                    sum.key("isMonotonic")
                    sum.bool(true)
                }
            }
        case .histogram:
            self.key("histogram")
            self.object { histogram in
                histogram.dataPoints(metric.points) { $0.histogramDataPoint($1) }
                histogram.key("aggregationTemporality")
                histogram.integer(Int(metric.temporality.otlpNumber))
            }
        }
    }

    /// `"dataPoints":[…]`, each point an object whose members `point` writes.
    private mutating func dataPoints(_ points: [MetricPoint], _ point: (inout OTLPJSONWriter, MetricPoint) -> Void) {
        self.key("dataPoints")
        self.array { list in
            for value in points {
                list.arrayElement()
                list.object { point(&$0, value) }
            }
        }
    }

    /// The members of a `NumberDataPoint` object.
    mutating func numberDataPoint(_ point: MetricPoint) {
        self.metricAttributes(point.attributes)
        if point.startTime != 0 {
            self.key("startTimeUnixNano")
            self.uint64String(point.startTime)
        }
        self.key("timeUnixNano")
        self.uint64String(point.time)
        self.numberValue(point.value)
        self.exemplars(point.exemplars)
    }

    /// The members of a `HistogramDataPoint` object.
    mutating func histogramDataPoint(_ point: MetricPoint) {
        self.metricAttributes(point.attributes)
        self.key("startTimeUnixNano")
        self.uint64String(point.startTime)
        self.key("timeUnixNano")
        self.uint64String(point.time)
        if case .histogram(let histogram) = point.value {
            self.key("count")
            self.uint64String(histogram.count)
            self.key("sum")
            self.double(histogram.sum)
            self.key("bucketCounts")
            self.array { counts in
                for count in histogram.bucketCounts {
                    counts.arrayElement()
                    counts.uint64String(count)
                }
            }
            self.key("explicitBounds")
            self.array { bounds in
                for bound in histogram.bounds {
                    bounds.arrayElement()
                    bounds.double(bound)
                }
            }
            if let min = histogram.min {
                self.key("min")
                self.double(min)
            }
            if let max = histogram.max {
                self.key("max")
                self.double(max)
            }
        }
        self.exemplars(point.exemplars)
    }

    /// `"asInt":"…"` or `"asDouble":…` (nothing for a histogram value).
    private mutating func numberValue(_ value: MetricPoint.Value) {
        switch value {
        case .integer(let integer):
            self.key("asInt")
            self.int64String(integer)
        case .double(let double):
            self.key("asDouble")
            self.double(double)
        case .histogram:
            break
        }
    }

    /// `"exemplars":[…]` (nothing when there are none).
    private mutating func exemplars(_ exemplars: [MetricExemplar]) {
        guard !exemplars.isEmpty else { return }
        self.key("exemplars")
        self.array { list in
            for exemplar in exemplars {
                list.arrayElement()
                list.object { object in
                    object.key("timeUnixNano")
                    object.uint64String(exemplar.time)
                    object.numberValue(exemplar.value)
                    object.key("spanId")
                    object.hex64(exemplar.spanID.rawValue)
                    object.key("traceId")
                    object.hex128(high: exemplar.traceID.high, low: exemplar.traceID.low)
                }
            }
        }
    }

    /// `"attributes":[…]` for a label set, string values (nothing when there are none).
    private mutating func metricAttributes(_ attributes: [(key: String, value: String)]) {
        guard !attributes.isEmpty else { return }
        self.key("attributes")
        self.array { list in
            for attribute in attributes {
                list.keyValue(attribute.key) { $0.key("stringValue"); $0.string(attribute.value) }
            }
        }
    }
}
