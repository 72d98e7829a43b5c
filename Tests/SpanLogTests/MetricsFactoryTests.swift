import CoreMetrics
import SpanLog
import Synchronization
import Testing

@Suite("SpanLogMetricsFactory: instruments, buckets, temporality, cardinality")
struct MetricsFactoryTests {
    @Test("counters and floating-point counters sum; negative increments are ignored")
    func counters() throws {
        let factory = SpanLogMetricsFactory()
        let counter = Counter(label: "jobs_total", dimensions: [("queue", "mail")], factory: factory)
        counter.increment()
        counter.increment(by: 41)
        // A second handler for the same name and label set shares the series.
        Counter(label: "jobs_total", dimensions: [("queue", "mail")], factory: factory).increment(by: 8)
        Counter(label: "jobs_total", dimensions: [("queue", "sms")], factory: factory).increment()
        let bytes = FloatingPointCounter(label: "bytes_total", factory: factory)
        bytes.increment(by: 1.25)
        bytes.increment(by: 2.5)
        bytes.increment(by: -7)

        let streams = factory.collect(temporality: .cumulative)
        let jobs = try #require(streams.stream("jobs_total"))
        #expect(jobs.kind == .sum(monotonic: true))
        #expect(jobs.point(["queue": "mail"])?.integer == 50)
        #expect(jobs.point(["queue": "sms"])?.integer == 1)
        #expect(streams.stream("bytes_total")?.point()?.double == 3.75)
    }

    @Test("meters and non-aggregating recorders are gauges: the last value, increments and decrements")
    func gauges() throws {
        let factory = SpanLogMetricsFactory()
        let meter = Meter(label: "queue_depth", factory: factory)
        meter.set(10)
        meter.increment(by: 2.5)
        meter.decrement(by: 0.5)
        let recorder = Recorder(label: "temperature", aggregate: false, factory: factory)
        recorder.record(21)
        recorder.record(19.5)
        let streams = factory.collect(temporality: .cumulative)
        #expect(streams.stream("queue_depth")?.kind == .gauge)
        #expect(streams.stream("queue_depth")?.point()?.double == 12)
        #expect(streams.stream("temperature")?.kind == .gauge)
        #expect(streams.stream("temperature")?.point()?.double == 19.5)
    }

    @Test("histogram buckets: a value on a boundary counts in that boundary's bucket (OpenTelemetry's default bounds)")
    func histogramBoundaries() throws {
        let factory = SpanLogMetricsFactory()
        let recorder = Recorder(label: "payload", factory: factory)
        for value in [-1.0, 0, 5, 5.000001, 10, 9999, 10000, 10000.5, 1e9] { recorder.record(value) }
        let point = try #require(factory.collect(temporality: .cumulative).stream("payload")?.point())
        let histogram = try #require(point.histogram)
        #expect(histogram.bounds == SpanLogMetricsFactory.Configuration.openTelemetryDefaultBoundaries)
        #expect(histogram.bounds == [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000])
        var expected = [UInt64](repeating: 0, count: 16)
        expected[0] = 2  // -1, 0
        expected[1] = 1  // 5
        expected[2] = 2  // 5.000001, 10
        expected[14] = 2  // 9999, 10000
        expected[15] = 2  // 10000.5, 1e9
        #expect(histogram.bucketCounts == expected)
        #expect(histogram.count == 9)
        #expect(histogram.sum == -1 + 0 + 5 + 5.000001 + 10 + 9999 + 10000 + 10000.5 + 1e9)
        #expect(histogram.min == -1)
        #expect(histogram.max == 1e9)
    }

    @Test("timers are histograms in seconds (unit s) with the seconds boundaries")
    func timers() throws {
        let factory = SpanLogMetricsFactory()
        let timer = Timer(label: "db_query_duration", factory: factory)
        timer.recordNanoseconds(5_000_000)  // 0.005 s: on the first bound
        timer.recordMilliseconds(300)  // 0.3 s
        timer.recordSeconds(11)  // above the last bound
        let stream = try #require(factory.collect(temporality: .cumulative).stream("db_query_duration"))
        #expect(stream.unit == "s")
        #expect(stream.kind == .histogram)
        let histogram = try #require(stream.point()?.histogram)
        #expect(histogram.bounds == [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10])
        #expect(histogram.bucketCounts[0] == 1)
        #expect(histogram.bucketCounts[7] == 1)  // (0.25, 0.5]
        #expect(histogram.bucketCounts[14] == 1)
        #expect(abs(histogram.sum - 11.305) < 1e-9)
    }

    @Test("boundaries per metric name, sorted and cleaned")
    func perMetricBoundaries() throws {
        var configuration = SpanLogMetricsFactory.Configuration()
        configuration.histogramBoundaries["payload_bytes"] = [1024, 16, .nan, 1024, 256]
        configuration.histogramBoundaries["fast_timer"] = [0.001, 0.002]
        let factory = SpanLogMetricsFactory(configuration: configuration)
        Recorder(label: "payload_bytes", factory: factory).record(100)
        Recorder(label: "other", factory: factory).record(100)
        Timer(label: "fast_timer", factory: factory).recordNanoseconds(1_500_000)
        let streams = factory.collect(temporality: .cumulative)
        let payload = try #require(streams.stream("payload_bytes")?.point()?.histogram)
        #expect(payload.bounds == [16, 256, 1024])
        #expect(payload.bucketCounts == [0, 1, 0, 0])
        #expect(streams.stream("other")?.point()?.histogram?.bounds == SpanLogMetricsFactory.Configuration.openTelemetryDefaultBoundaries)
        #expect(streams.stream("fast_timer")?.point()?.histogram?.bucketCounts == [0, 1, 0])
    }

    @Test("cumulative: monotonic across collections with a stable start time (the first recording)")
    func cumulative() throws {
        let factory = SpanLogMetricsFactory()
        let counter = Counter(label: "c", factory: factory)
        let timer = Timer(label: "t", factory: factory)
        #expect(factory.collect(temporality: .cumulative).isEmpty, "nothing recorded, no points")
        counter.increment(by: 3)
        timer.recordMilliseconds(1)
        let first = factory.collect(temporality: .cumulative)
        counter.increment(by: 2)
        let second = factory.collect(temporality: .cumulative)
        let third = factory.collect(temporality: .cumulative)
        let points = try [first, second, third].map { try #require($0.stream("c")?.point()) }
        #expect(points.map(\.integer) == [3, 5, 5])
        #expect(Set(points.map(\.startTime)).count == 1)
        #expect(points[0].startTime <= points[0].time && points[0].time <= points[1].time && points[1].time <= points[2].time)
        #expect(third.stream("t")?.point()?.histogram?.count == 1)
    }

    @Test("delta: each collection reports what changed since the previous one, starting at its time")
    func delta() throws {
        let factory = SpanLogMetricsFactory()
        let counter = Counter(label: "c", factory: factory)
        let recorder = Recorder(label: "h", factory: factory)
        let meter = Meter(label: "g", factory: factory)
        counter.increment(by: 3)
        recorder.record(7)
        recorder.record(20)
        meter.set(4)
        let first = factory.collect(temporality: .delta)
        counter.increment(by: 2)
        recorder.record(3)
        let second = factory.collect(temporality: .delta)
        let third = factory.collect(temporality: .delta)

        let c1 = try #require(first.stream("c")?.point())
        let c2 = try #require(second.stream("c")?.point())
        #expect(first.stream("c")?.temporality == .delta)
        #expect(c1.integer == 3)
        #expect(c2.integer == 2)
        #expect(c2.startTime == c1.time, "a delta point starts at the previous collection")
        let h2 = try #require(second.stream("h")?.point()?.histogram)
        #expect(h2.count == 1)
        #expect(h2.sum == 3)
        #expect(h2.min == 3 && h2.max == 3, "min and max of the interval only")
        #expect(h2.bucketCounts[1] == 1 && h2.bucketCounts.reduce(0, +) == 1)
        #expect(first.stream("g")?.point()?.double == 4)
        #expect(second.stream("g") == nil, "an unchanged gauge is not reported again in delta")
        #expect(third.isEmpty, "nothing recorded since the previous collection")
    }

    @Test("reset starts a new cumulative stream: value from zero, a later start time")
    func reset() throws {
        let factory = SpanLogMetricsFactory()
        let counter = Counter(label: "c", factory: factory)
        counter.increment(by: 10)
        let before = try #require(factory.collect(temporality: .cumulative).stream("c")?.point())
        counter.reset()
        counter.increment(by: 1)
        let after = try #require(factory.collect(temporality: .cumulative).stream("c")?.point())
        #expect(after.integer == 1)
        #expect(after.startTime >= before.time)
    }

    @Test("label sets in another order are the same series; destroy forgets a series")
    func labelOrderAndDestroy() throws {
        let factory = SpanLogMetricsFactory()
        Counter(label: "c", dimensions: [("a", "1"), ("b", "2")], factory: factory).increment()
        let other = Counter(label: "c", dimensions: [("b", "2"), ("a", "1")], factory: factory)
        other.increment()
        #expect(factory.collect(temporality: .cumulative).stream("c")?.points.count == 1)
        #expect(factory.collect(temporality: .cumulative).stream("c")?.point(["a": "1", "b": "2"])?.integer == 2)
        other.destroy()
        #expect(factory.collect(temporality: .cumulative).stream("c") == nil)
    }

    @Test("cardinality limit: later label sets go to otel.metric.overflow=true, counted, one warning")
    func cardinality() throws {
        var configuration = SpanLogMetricsFactory.Configuration()
        configuration.cardinalityLimit = 4
        let warnings = Mutex<[String]>([])
        let factory = SpanLogMetricsFactory(configuration: configuration, warn: { message in warnings.withLock { $0.append(message) } })
        for user in 0..<10 {
            Counter(label: "logins_total", dimensions: [("user", "\(user)")], factory: factory).increment(by: Int64(user + 1))
        }
        // An existing series still gets its own values after the limit is reached.
        Counter(label: "logins_total", dimensions: [("user", "0")], factory: factory).increment(by: 100)
        let stream = try #require(factory.collect(temporality: .cumulative).stream("logins_total"))
        #expect(stream.points.count == 4, "3 label sets and the overflow series: the limit counts it")
        #expect(stream.point(["user": "0"])?.integer == 101)
        #expect(stream.point(["user": "2"])?.integer == 3)
        #expect(stream.point(["otel.metric.overflow": "true"])?.integer == 49, "4 + … + 10")
        let total: Int64 = stream.points.map { $0.integer ?? 0 }.reduce(0, +)
        #expect(total == 155, "the total stays right: 1 + … + 10 + 100")
        #expect(factory.statistics.overflowedLabelSets == 7)
        #expect(factory.statistics.instrumentsAtLimit == 1)
        #expect(warnings.withLock { $0 }.count == 1)
        #expect(warnings.withLock { $0 }.first?.contains("logins_total") == true)
        #expect(SpanLogMetricsFactory.Configuration().cardinalityLimit == 2000)
    }

    @Test("the console exporter writes one JSON line per metric")
    func consoleExporter() async throws {
        let factory = SpanLogMetricsFactory()
        Counter(label: "jobs_total", dimensions: [("queue", "mail")], factory: factory).increment(by: 2)
        Timer(label: "latency", factory: factory).recordMilliseconds(20)
        let sink = LineCollector()
        let exporter = ConsoleMetricExporter(sink: sink)
        try await exporter.export(MetricsSnapshot(resource: SpanLogResource(serviceName: "checkout"), metrics: factory.collect(temporality: .cumulative)))
        let lines = sink.lines
        #expect(lines.count == 2)
        let latency = try #require(lines.first { $0.contains("\"name\":\"latency\"") })
        #expect(latency.hasPrefix("{\"record\":\"metric\",\"service.name\":\"checkout\",\"name\":\"latency\",\"unit\":\"s\",\"kind\":\"histogram\",\"temporality\":\"cumulative\""))
        #expect(latency.contains("\"count\":1,\"sum\":0.02,\"min\":0.02,\"max\":0.02,\"bounds\":[0.005,0.01,0.025"))
        #expect(latency.contains("\"bucket_counts\":[0,0,1,0,0,0,0,0,0,0,0,0,0,0,0]"))
        let jobs = try #require(lines.first { $0.contains("\"name\":\"jobs_total\"") })
        #expect(jobs.contains("\"kind\":\"sum\""))
        #expect(jobs.contains("{\"attributes\":{\"queue\":\"mail\"},\"start\":\"20"))
        #expect(jobs.hasSuffix("\"value\":2}]}\n"))
    }
}

/// A sink that keeps every line.
final class LineCollector: LogSink {
    private let collected = Mutex<[String]>([])

    func write(_ record: UnsafeRawBufferPointer) {
        let line = String(decoding: record, as: UTF8.self)
        self.collected.withLock { $0.append(line) }
    }

    func flush() {}

    func shutdown() {}

    var lines: [String] { self.collected.withLock { $0 } }
}
