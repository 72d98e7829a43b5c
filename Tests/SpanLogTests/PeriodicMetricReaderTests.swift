import CoreMetrics
import SpanLog
import Testing

@Suite("PeriodicMetricReader: interval, timeout, flush, shutdown", .timeLimit(.minutes(2)))
struct PeriodicMetricReaderTests {
    /// How long a wait may take on a loaded 2-core machine running the whole suite in parallel
    /// (a test elsewhere may hold the cooperative pool for seconds): bounds, not expectations.
    static let patience: Duration = .seconds(60)

    @Test("exports on its interval, cumulative by default, with the resource")
    func exportsOnInterval() async throws {
        let factory = SpanLogMetricsFactory()
        let exporter = InMemoryMetricExporter()
        let reader = PeriodicMetricReader(
            factory: factory, exporters: [exporter], resource: SpanLogResource(serviceName: "svc"),
            configuration: .init(exportInterval: .milliseconds(100), exportTimeout: Self.patience))
        let counter = Counter(label: "ticks", factory: factory)
        counter.increment()
        let started = ContinuousClock.now
        // The exporter holds a snapshot before the reader counts its export: wait for both.
        #expect(await eventually(within: Self.patience) { exporter.exported.count >= 3 && reader.statistics.exports >= 3 })
        #expect(ContinuousClock.now - started >= .milliseconds(250), "three exports take at least three intervals, less the first's jitter")
        let snapshots = exporter.exported
        #expect(snapshots.allSatisfy { $0.resource.serviceName == "svc" })
        #expect(snapshots.allSatisfy { $0.metrics.stream("ticks")?.temporality == .cumulative })
        #expect(snapshots.first?.metrics.stream("ticks")?.point()?.integer == 1)
        #expect(reader.statistics.exports >= 3)
        #expect(await reader.shutdown(timeout: Self.patience))
        #expect(exporter.wasShutDown)
    }

    @Test("an exporter preferring delta gets delta; a cumulative one beside it is unaffected")
    func temporalityPerExporter() async throws {
        let factory = SpanLogMetricsFactory()
        let deltaExporter = InMemoryMetricExporter(temporality: .delta)
        let cumulativeExporter = InMemoryMetricExporter()
        let reader = PeriodicMetricReader(
            factory: factory, exporters: [deltaExporter, cumulativeExporter], resource: SpanLogResource(serviceName: "svc"),
            configuration: .init(exportInterval: .seconds(3600)))
        let counter = Counter(label: "c", factory: factory)
        counter.increment(by: 5)
        #expect(await reader.forceFlush())
        counter.increment(by: 2)
        #expect(await reader.forceFlush())
        #expect(deltaExporter.exported.map { $0.metrics.stream("c")?.point()?.integer } == [5, 2])
        #expect(deltaExporter.exported.last?.metrics.stream("c")?.temporality == .delta)
        #expect(cumulativeExporter.exported.map { $0.metrics.stream("c")?.point()?.integer } == [5, 7])
        await reader.shutdown(timeout: .seconds(1))
    }

    @Test("a hanging exporter is cut off by the export timeout; shutdown keeps its deadline")
    func hangingExporter() async throws {
        let factory = SpanLogMetricsFactory()
        let reader = PeriodicMetricReader(
            factory: factory, exporters: [HangingMetricExporter(hang: .seconds(60))], resource: SpanLogResource(serviceName: "svc"),
            configuration: .init(exportInterval: .seconds(3600), exportTimeout: .milliseconds(200)))
        Counter(label: "c", factory: factory).increment()
        let clock = ContinuousClock()
        var flushed = true
        let flushTime = await clock.measure { flushed = await reader.forceFlush() }
        #expect(!flushed)
        #expect(flushTime >= .milliseconds(190))
        #expect(flushTime < .seconds(30), "the hanging export runs for 60 s: the flush did not wait for it")
        #expect(reader.statistics.timedOutExports == 1)
        var finished = true
        let shutdownTime = await clock.measure { finished = await reader.shutdown(timeout: .milliseconds(300)) }
        #expect(!finished)
        #expect(shutdownTime < .seconds(30), "the hanging export runs for 60 s: shutdown did not wait for it")
        #expect(await reader.forceFlush() == false, "no export after shutdown")
    }

    @Test("shutdown exports what was recorded since the last export")
    func shutdownExports() async throws {
        let factory = SpanLogMetricsFactory()
        let exporter = InMemoryMetricExporter()
        let reader = PeriodicMetricReader(
            factory: factory, exporters: [exporter], resource: SpanLogResource(serviceName: "svc"),
            configuration: .init(exportInterval: .seconds(3600)))
        Counter(label: "late", factory: factory).increment(by: 9)
        #expect(await reader.shutdown(timeout: Self.patience))
        #expect(exporter.exported.count == 1)
        #expect(exporter.exported.first?.metrics.stream("late")?.point()?.integer == 9)
        #expect(exporter.wasShutDown)
    }
}
