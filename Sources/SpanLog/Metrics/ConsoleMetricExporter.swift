/// Writes each collected metric as one JSON line to a sink, standard output by default
/// (`OTEL_METRICS_EXPORTER=console`), like ``ConsoleSpanExporter`` does for spans. One line per
/// metric:
///
/// ```
/// {"record":"metric","service.name":"checkout","name":"http_server_request_duration_seconds","unit":"s",
///  "kind":"histogram","temporality":"cumulative","points":[{"attributes":{"route":"/"},
///  "start":"2026-12-02T10:00:00.000000000Z","time":"2026-12-02T10:01:00.000000000Z","count":3,"sum":0.25,
///  "min":0.01,"max":0.2,"bounds":[0.005,…],"bucket_counts":[0,1,…],"exemplars":[{"value":0.2,
///  "time":"…","trace_id":"4bf92f35…","span_id":"00f067aa…"}]}]}
/// ```
///
/// ```swift
/// let reader = PeriodicMetricReader(factory: factory, exporters: [ConsoleMetricExporter()], resource: resource)
/// ```
public struct ConsoleMetricExporter: MetricExporter {
    /// Where the lines go.
    public let sink: any LogSink

    /// Creates the exporter.
    public init(sink: any LogSink = ConsoleSink.standardOutput) {
        self.sink = sink
    }

    public func export(_ snapshot: MetricsSnapshot) async throws {
        var buffer = RecordBuffer(capacity: 1024)
        for metric in snapshot.metrics {
            buffer.removeAll()
            Self.encode(metric, serviceName: snapshot.resource.serviceName, into: &buffer)
            buffer.append(UInt8(ascii: "\n"))
            buffer.withUnsafeBytes { self.sink.write($0) }
        }
    }

    public func shutdown(timeout: Duration) async {
        self.sink.flush()
    }

    /// One metric as a JSON object (without the line break).
    static func encode(_ metric: MetricStream, serviceName: String, into buffer: inout RecordBuffer) {
        buffer.appendRaw("{\"record\":\"metric\",\"service.name\":")
        buffer.appendJSONString(serviceName)
        buffer.appendRaw(",\"name\":")
        buffer.appendJSONString(metric.name)
        buffer.appendRaw(",\"unit\":")
        buffer.appendJSONString(metric.unit)
        switch metric.kind {
        case .sum(let monotonic): buffer.appendRaw(monotonic ? ",\"kind\":\"sum\"" : ",\"kind\":\"updown_sum\"")
        case .gauge: buffer.appendRaw(",\"kind\":\"gauge\"")
        case .histogram: buffer.appendRaw(",\"kind\":\"histogram\"")
        }
        buffer.appendRaw(",\"temporality\":")
        buffer.appendJSONString(metric.temporality.rawValue)
        buffer.appendRaw(",\"points\":[")
        for (index, point) in metric.points.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            Self.encode(point, into: &buffer)
        }
        buffer.appendRaw("]}")
    }

    private static func encode(_ point: MetricPoint, into buffer: inout RecordBuffer) {
        buffer.appendRaw("{\"attributes\":{")
        for (index, attribute) in point.attributes.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.appendJSONKey(attribute.key)
            buffer.appendJSONString(attribute.value)
        }
        buffer.appendRaw("},\"start\":")
        Self.appendTime(point.startTime, to: &buffer)
        buffer.appendRaw(",\"time\":")
        Self.appendTime(point.time, to: &buffer)
        switch point.value {
        case .integer(let value):
            buffer.appendRaw(",\"value\":")
            buffer.appendDecimal(value)
        case .double(let value):
            buffer.appendRaw(",\"value\":")
            buffer.appendJSONNumber(value)
        case .histogram(let histogram):
            buffer.appendRaw(",\"count\":")
            buffer.appendDecimal(histogram.count)
            buffer.appendRaw(",\"sum\":")
            buffer.appendJSONNumber(histogram.sum)
            if let min = histogram.min {
                buffer.appendRaw(",\"min\":")
                buffer.appendJSONNumber(min)
            }
            if let max = histogram.max {
                buffer.appendRaw(",\"max\":")
                buffer.appendJSONNumber(max)
            }
            buffer.appendRaw(",\"bounds\":[")
            for (index, bound) in histogram.bounds.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer.appendJSONNumber(bound)
            }
            buffer.appendRaw("],\"bucket_counts\":[")
            for (index, count) in histogram.bucketCounts.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer.appendDecimal(count)
            }
            buffer.append(UInt8(ascii: "]"))
        }
        if !point.exemplars.isEmpty {
            buffer.appendRaw(",\"exemplars\":[")
            for (index, exemplar) in point.exemplars.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer.appendRaw("{\"value\":")
                switch exemplar.value {
                case .integer(let value): buffer.appendDecimal(value)
                case .double(let value): buffer.appendJSONNumber(value)
                case .histogram(let histogram): buffer.appendJSONNumber(histogram.sum)
                }
                buffer.appendRaw(",\"time\":")
                Self.appendTime(exemplar.time, to: &buffer)
                buffer.appendRaw(",\"trace_id\":")
                buffer.appendJSONString(exemplar.traceID.description)
                buffer.appendRaw(",\"span_id\":")
                buffer.appendJSONString(exemplar.spanID.description)
                buffer.append(UInt8(ascii: "}"))
            }
            buffer.append(UInt8(ascii: "]"))
        }
        buffer.append(UInt8(ascii: "}"))
    }

    private static func appendTime(_ nanoseconds: UInt64, to buffer: inout RecordBuffer) {
        buffer.append(UInt8(ascii: "\""))
        RecordTime(clampingNanosecondsSinceEpoch: nanoseconds).appendRFC3339(to: &buffer, fractionDigits: 9)
        buffer.append(UInt8(ascii: "\""))
    }
}
