import CoreMetrics
import SpanLog
import Testing
import Tracing

@Suite("Metric exemplars: sampled spans, reservoirs, the filter")
struct MetricExemplarTests {
    @Test("a counter increment inside a sampled span carries its trace and span ids; outside, none")
    func counterExemplar() throws {
        let (tracer, _, _, _) = makeTracer()
        let factory = SpanLogMetricsFactory()
        let counter = Counter(label: "orders_total", factory: factory)
        counter.increment()
        #expect(factory.collect(temporality: .cumulative).stream("orders_total")?.point()?.exemplars.isEmpty == true)

        let ids = tracer.withSpan("checkout") { span -> SpanContext? in
            counter.increment(by: 3)
            return SpanContext.current
        }
        let context = try #require(ids)
        #expect(context.isSampled)
        let point = try #require(factory.collect(temporality: .cumulative).stream("orders_total")?.point())
        #expect(point.integer == 4)
        let exemplar = try #require(point.exemplars.first)
        #expect(point.exemplars.count == 1, "SimpleFixedSizeExemplarReservoir, size 1")
        #expect(exemplar.traceID == context.traceID)
        #expect(exemplar.spanID == context.spanID)
        if case .integer(let value) = exemplar.value { #expect(value == 3) } else { Issue.record("an integer exemplar") }
        #expect(exemplar.time > 0)
        // Taken: the next collection starts over.
        #expect(factory.collect(temporality: .cumulative).stream("orders_total")?.point()?.exemplars.isEmpty == true)
    }

    @Test("a histogram keeps at most one exemplar per bucket, each from a span that recorded into it")
    func histogramExemplarPerBucket() throws {
        let (tracer, _, _, _) = makeTracer()
        let factory = SpanLogMetricsFactory()
        let timer = Timer(label: "latency", factory: factory)
        var fastSpans: Set<SpanID> = []
        var slowSpan: SpanContext?
        for _ in 0..<5 {
            tracer.withSpan("fast") { _ in
                timer.recordMilliseconds(3)  // (0, 0.005]
                if let context = SpanContext.current { fastSpans.insert(context.spanID) }
            }
        }
        tracer.withSpan("slow") { _ in
            timer.recordSeconds(2)  // (1, 2.5]
            slowSpan = SpanContext.current
        }
        timer.recordMilliseconds(30)  // outside any span: no exemplar
        let point = try #require(factory.collect(temporality: .cumulative).stream("latency")?.point())
        #expect(point.histogram?.count == 7)
        #expect(point.exemplars.count == 2)
        let fast = try #require(point.exemplars.first)
        let slow = try #require(point.exemplars.last)
        #expect(fastSpans.contains(fast.spanID))
        if case .double(let value) = fast.value { #expect(value == 0.003) } else { Issue.record("a double exemplar") }
        #expect(slow.spanID == slowSpan?.spanID)
        #expect(slow.traceID == slowSpan?.traceID)
    }

    @Test("trace_based takes none from an unsampled span; always_on does; always_off never")
    func filters() throws {
        let (recordOnly, _, _, _) = makeTracer(sampler: ConstantSampler(.recordOnly), tail: nil)
        let (sampled, _, _, _) = makeTracer()
        for filter in MetricExemplarFilter.allCases {
            var configuration = SpanLogMetricsFactory.Configuration()
            configuration.exemplarFilter = filter
            let factory = SpanLogMetricsFactory(configuration: configuration)
            let unsampledCounter = Counter(label: "unsampled", factory: factory)
            let sampledCounter = Counter(label: "sampled", factory: factory)
            let unsampledIDs = recordOnly.withSpan("quiet") { _ in
                unsampledCounter.increment()
                return SpanContext.current
            }
            #expect(unsampledIDs?.isSampled == false)
            sampled.withSpan("loud") { _ in sampledCounter.increment() }
            let streams = factory.collect(temporality: .cumulative)
            let fromUnsampled = streams.stream("unsampled")?.point()?.exemplars ?? []
            let fromSampled = streams.stream("sampled")?.point()?.exemplars ?? []
            switch filter {
            case .traceBased:
                #expect(fromUnsampled.isEmpty)
                #expect(fromSampled.count == 1)
            case .alwaysOn:
                #expect(fromUnsampled.first?.spanID == unsampledIDs?.spanID)
                #expect(fromSampled.count == 1)
            case .alwaysOff:
                #expect(fromUnsampled.isEmpty)
                #expect(fromSampled.isEmpty)
            }
        }
    }

    @Test("OTEL_METRICS_EXEMPLAR_FILTER: trace_based by default, always_on, always_off, a bad value warned")
    func filterVariable() {
        #expect(TelemetryConfiguration.fromEnvironment([:]).metrics.aggregation.exemplarFilter == .traceBased)
        #expect(TelemetryConfiguration.fromEnvironment(["OTEL_METRICS_EXEMPLAR_FILTER": "always_on"]).metrics.aggregation.exemplarFilter == .alwaysOn)
        #expect(TelemetryConfiguration.fromEnvironment(["OTEL_METRICS_EXEMPLAR_FILTER": "ALWAYS_OFF"]).metrics.aggregation.exemplarFilter == .alwaysOff)
        let bad = TelemetryConfiguration.fromEnvironment(["OTEL_METRICS_EXEMPLAR_FILTER": "sometimes"])
        #expect(bad.metrics.aggregation.exemplarFilter == .traceBased)
        #expect(bad.warnings == ["OTEL_METRICS_EXEMPLAR_FILTER=sometimes is not one of trace_based, always_on, always_off; using trace_based"])
    }
}
