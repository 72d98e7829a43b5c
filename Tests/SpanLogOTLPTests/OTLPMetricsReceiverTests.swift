import CoreMetrics
import Foundation
import SpanLog
import SpanLogOTLP
import Testing
import Tracing

/// Metrics from SpanLog's swift-metrics backend, sent by `OTLPMetricExporter` to the receiver
/// built on the official `opentelemetry-proto` classes.
@Suite("OTLP metrics export to a receiver built on opentelemetry-proto", .serialized, .timeLimit(.minutes(10)))
struct OTLPMetricsReceiverTests {
    static var protocols: [OTLPProtocol] {
        var list: [OTLPProtocol] = [.httpProtobuf, .httpJSON]
        #if OTLPGRPC
        list.append(.grpc)
        #endif
        return list
    }

    /// A reader that exports only when asked (flush, shutdown).
    static func reader(_ factory: SpanLogMetricsFactory, _ exporter: OTLPMetricExporter) -> PeriodicMetricReader {
        PeriodicMetricReader(
            factory: factory, exporters: [exporter], resource: ExportRig.resource,
            configuration: .init(exportInterval: .seconds(3600), exportTimeout: .seconds(10)))
    }

    @Test("counters, timers and gauges arrive with their types, temporality, buckets and the span's exemplar ids", arguments: Self.protocols)
    func metricsArrive(_ protocolChoice: OTLPProtocol) async throws {
        guard let receiver = try await ReceiverProcess.start() else { return }
        defer { receiver.stop() }
        let rig = try ExportRig(traces: configuration(receiver, .traces, protocolChoice), logs: configuration(receiver, .logs, protocolChoice))
        let reports = ReportBox()
        let exporter = try OTLPMetricExporter(configuration: configuration(receiver, .metrics, protocolChoice), reporter: { reports.append($0) })
        let factory = SpanLogMetricsFactory()
        let reader = Self.reader(factory, exporter)
        let counter = Counter(label: "orders_total", dimensions: [("route", "/orders")], factory: factory)
        let timer = CoreMetrics.Timer(label: "request_duration", dimensions: [("route", "/orders")], factory: factory)
        let gauge = Gauge(label: "queue_depth", factory: factory)

        let context = rig.tracer.withSpan("checkout") { span -> SpanContext? in
            counter.increment(by: 3)
            timer.recordMilliseconds(30)
            return span.spanContext
        }
        let span = try #require(context)
        counter.increment()
        timer.recordSeconds(2)
        gauge.record(7)
        #expect(await reader.forceFlush())
        await rig.flush()
        let requests = await receiver.waitFor {
            decodedMetrics($0).contains { $0.name == "orders_total" } && decodedSpans($0).contains { $0.span["name"] as? String == "checkout" }
        }
        await reader.shutdown(timeout: .seconds(5))
        await rig.shutdown()

        let metricRequests = requests.filter { $0["signal"] as? String == "metrics" }
        let transport = protocolChoice == .grpc ? "grpc" : "http"
        #expect(metricRequests.allSatisfy { $0["transport"] as? String == transport })
        if protocolChoice != .grpc {
            let contentType = protocolChoice == .httpJSON ? "application/json" : "application/x-protobuf"
            #expect(metricRequests.allSatisfy { $0["content_type"] as? String == contentType })
        }
        let metrics = decodedMetrics(requests)
        let first = try #require(metrics.first?.request)
        let exported = metrics.filter { $0.request == first }

        // The span as the receiver decoded it: the exemplars point at it.
        let decodedSpan = try #require(decodedSpans(requests).first { $0.span["name"] as? String == "checkout" })
        #expect(decodedSpan.span["traceId"] as? String == span.traceID.description)
        #expect(decodedSpan.span["spanId"] as? String == span.spanID.description)

        let counterMetric = try #require(exported.first { $0.name == "orders_total" })
        #expect(counterMetric.type == "sum")
        #expect(counterMetric.temporality == 2, "cumulative by default")
        #expect(counterMetric.monotonic)
        let counterPoint = try #require(counterMetric.points.first)
        #expect(counterMetric.points.count == 1)
        #expect(pointAttributes(counterPoint) == ["route": "/orders"])
        #expect((counterPoint["value"] as? NSNumber)?.int64Value == 4)
        let counterExemplars = counterPoint["exemplars"] as? [[String: Any]] ?? []
        #expect(counterExemplars.count == 1)
        #expect(counterExemplars.first?["trace_id"] as? String == span.traceID.description)
        #expect(counterExemplars.first?["span_id"] as? String == span.spanID.description)
        #expect((counterExemplars.first?["value"] as? NSNumber)?.int64Value == 3)
        let start = try #require(uint64(counterPoint["start"]))
        let time = try #require(uint64(counterPoint["time"]))
        #expect(start > 1_700_000_000_000_000_000 && start <= time)

        let histogram = try #require(exported.first { $0.name == "request_duration" })
        #expect(histogram.type == "histogram")
        #expect(histogram.temporality == 2)
        let histogramPoint = try #require(histogram.points.first)
        #expect(uint64(histogramPoint["count"]) == 2)
        let sum = try #require(histogramPoint["sum"] as? Double)
        #expect(abs(sum - 2.03) < 1e-9)
        let bounds = try #require(histogramPoint["bounds"] as? [Double])
        let counts = try #require((histogramPoint["bucket_counts"] as? [NSNumber])?.map(\.uint64Value))
        #expect(counts.count == bounds.count + 1)
        #expect(counts.reduce(0, +) == 2)
        // Bucket i holds (bounds[i-1], bounds[i]].
        let fastBucket = try #require(bounds.firstIndex { 0.03 <= $0 })
        let slowBucket = try #require(bounds.firstIndex { 2 <= $0 })
        #expect(counts[fastBucket] == 1)
        #expect(counts[slowBucket] == 1)
        let histogramExemplars = histogramPoint["exemplars"] as? [[String: Any]] ?? []
        #expect(histogramExemplars.count == 1, "only the value recorded inside the span")
        #expect(histogramExemplars.first?["trace_id"] as? String == span.traceID.description)
        #expect(histogramExemplars.first?["span_id"] as? String == span.spanID.description)

        let gaugeMetric = try #require(exported.first { $0.name == "queue_depth" })
        #expect(gaugeMetric.type == "gauge")
        #expect((gaugeMetric.points.first?["value"] as? NSNumber)?.doubleValue == 7)

        #expect(exporter.statistics.failedItems == 0)
        #expect(exporter.statistics.exportedItems >= 3)
        #expect(reports.all.isEmpty, "\(reports.all)")
    }

    @Test("delta preference: counters and histograms count since the last export")
    func deltaTemporality() async throws {
        guard let receiver = try await ReceiverProcess.start() else { return }
        defer { receiver.stop() }
        let exporter = try OTLPMetricExporter(configuration: configuration(receiver, .metrics, .httpProtobuf), temporalityPreference: .delta)
        #expect(exporter.preferredTemporality == .delta)
        let factory = SpanLogMetricsFactory()
        let reader = Self.reader(factory, exporter)
        let counter = Counter(label: "jobs_total", factory: factory)
        let recorder = Recorder(label: "payload_bytes", factory: factory)
        counter.increment(by: 2)
        recorder.record(100)
        #expect(await reader.forceFlush())
        counter.increment(by: 3)
        #expect(await reader.forceFlush())
        let requests = await receiver.waitFor { decodedMetrics($0).filter { $0.name == "jobs_total" }.count >= 2 }
        await reader.shutdown(timeout: .seconds(5))

        let series = decodedMetrics(requests).filter { $0.name == "jobs_total" }
        try #require(series.count >= 2)
        #expect(series.allSatisfy { $0.temporality == 1 && $0.monotonic })
        #expect(series[0].points.compactMap { ($0["value"] as? NSNumber)?.int64Value } == [2])
        #expect(series[1].points.compactMap { ($0["value"] as? NSNumber)?.int64Value } == [3])
        let firstTime = try #require(uint64(series[0].points.first?["time"]))
        let secondStart = try #require(uint64(series[1].points.first?["start"]))
        #expect(secondStart >= firstTime, "a delta point starts where the previous one ended")
        let histogram = try #require(decodedMetrics(requests).first { $0.name == "payload_bytes" })
        #expect(histogram.type == "histogram")
        #expect(histogram.temporality == 1)
    }

    @Test("a cumulative counter only grows under one start time; a restart starts a new series from zero")
    func cumulativeAcrossRestart() async throws {
        guard let receiver = try await ReceiverProcess.start() else { return }
        defer { receiver.stop() }
        #if OTLPGRPC
        let protocolChoice = OTLPProtocol.grpc
        #else
        let protocolChoice = OTLPProtocol.httpProtobuf
        #endif
        // Two process lifetimes: each its own backend, reader and exporter.
        for increments in [[5, 2], [1]] {
            let exporter = try OTLPMetricExporter(configuration: configuration(receiver, .metrics, protocolChoice))
            let factory = SpanLogMetricsFactory()
            let reader = Self.reader(factory, exporter)
            let counter = Counter(label: "restarts_total", factory: factory)
            for amount in increments {
                counter.increment(by: amount)
                #expect(await reader.forceFlush())
            }
            #expect(await reader.shutdown(timeout: .seconds(5)))
            try await Task.sleep(for: .milliseconds(5))
        }
        let requests = await receiver.waitFor { decodedMetrics($0).filter { $0.name == "restarts_total" }.count >= 4 }
        let points = decodedMetrics(requests).filter { $0.name == "restarts_total" }.flatMap(\.points)
        let observed = points.compactMap { point -> (start: UInt64, time: UInt64, value: Int64)? in
            guard let start = uint64(point["start"]), let time = uint64(point["time"]), let value = (point["value"] as? NSNumber)?.int64Value else { return nil }
            return (start, time, value)
        }
        try #require(observed.count == points.count && observed.count >= 4, "\(points)")
        let starts = observed.map(\.start).reduce(into: [UInt64]()) { if !$0.contains($1) { $0.append($1) } }
        #expect(starts.count == 2, "one start time per lifetime: \(starts)")
        for start in starts {
            let series = observed.filter { $0.start == start }.sorted { $0.time < $1.time }
            for (earlier, later) in zip(series, series.dropFirst()) {
                #expect(earlier.value <= later.value, "never a decrease under one start time: \(series)")
            }
            #expect(series.allSatisfy { $0.start <= $0.time })
        }
        let first = observed.filter { $0.start == starts[0] }
        let second = observed.filter { $0.start == starts[1] }
        #expect(first.map(\.value).max() == 7)
        #expect(second.map(\.value) .allSatisfy { $0 == 1 }, "counts from zero again")
        #expect(starts[1] > first.map(\.time).max()!, "the new series starts after the old one's last point")
    }

    @Test("a snapshot over the request limit is sent as several requests, every point once")
    func splitRequests() async throws {
        guard let receiver = try await ReceiverProcess.start() else { return }
        defer { receiver.stop() }
        let exporter = try OTLPMetricExporter(
            configuration: configuration(receiver, .metrics, .httpProtobuf), limits: .init(maxDataPoints: 10))
        let now: UInt64 = 1_764_000_000_000_000_000
        let points = (0..<25).map { MetricPoint(attributes: [("route", "/r\($0)")], startTime: now, time: now + 1, value: .integer(Int64($0))) }
        let snapshot = MetricsSnapshot(
            resource: ExportRig.resource,
            metrics: [
                MetricStream(name: "many_total", kind: .sum(monotonic: true), temporality: .cumulative, points: points),
                MetricStream(name: "one", kind: .gauge, temporality: .cumulative, points: [MetricPoint(attributes: [], startTime: 0, time: now, value: .double(1))]),
            ])
        try await exporter.export(snapshot)
        let requests = await receiver.waitFor { decodedMetrics($0).flatMap(\.points).count >= 26 }
        let metricRequests = requests.filter { $0["signal"] as? String == "metrics" }
        #expect(metricRequests.count == 3)
        let perRequest = Dictionary(grouping: decodedMetrics(requests), by: \.request).values.map { $0.flatMap(\.points).count }.sorted()
        #expect(perRequest == [6, 10, 10])
        let routes = decodedMetrics(requests).filter { $0.name == "many_total" }.flatMap(\.points).compactMap { pointAttributes($0)["route"] }
        #expect(routes == (0..<25).map { "/r\($0)" })
        #expect(exporter.statistics.exportedBatches == 3)
        #expect(exporter.statistics.exportedItems == 26)
        await exporter.shutdown(timeout: .seconds(5))
    }

    @Test("the byte limit splits too: large label sets go in several requests, every point once")
    func splitByBytes() async throws {
        guard let receiver = try await ReceiverProcess.start() else { return }
        defer { receiver.stop() }
        let exporter = try OTLPMetricExporter(configuration: configuration(receiver, .metrics, .httpJSON), limits: .init(maxBytes: 4096))
        let now: UInt64 = 1_764_000_000_000_000_000
        let long = String(repeating: "x", count: 600)
        let points = (0..<20).map { MetricPoint(attributes: [("key", "\($0)-\(long)")], startTime: now, time: now + 1, value: .double(Double($0))) }
        try await exporter.export(MetricsSnapshot(
            resource: ExportRig.resource, metrics: [MetricStream(name: "wide", kind: .sum(monotonic: true), temporality: .cumulative, points: points)]))
        await exporter.shutdown(timeout: .seconds(5))
        let requests = await receiver.waitFor { decodedMetrics($0).flatMap(\.points).count >= 20 }
        let metricRequests = requests.filter { $0["signal"] as? String == "metrics" }
        #expect(metricRequests.count >= 4, "about 5 points of ~700 bytes per 4 KiB request")
        let values = decodedMetrics(requests).flatMap(\.points).compactMap { $0["value"] as? Double }
        #expect(values == (0..<20).map(Double.init))
        #expect(exporter.statistics.exportedItems == 20)
        #expect(exporter.statistics.exportedBatches == UInt64(metricRequests.count))
    }

    @Test("data points the collector rejects (partial_success) are counted and reported", arguments: Self.protocols)
    func partialSuccess(_ protocolChoice: OTLPProtocol) async throws {
        guard let receiver = try await ReceiverProcess.start(.init(partialReject: 2, partialMessage: "2 points too old")) else { return }
        defer { receiver.stop() }
        let reports = ReportBox()
        let exporter = try OTLPMetricExporter(configuration: configuration(receiver, .metrics, protocolChoice), reporter: { reports.append($0) })
        try await exporter.export(sampleSnapshot())
        await exporter.shutdown(timeout: .seconds(5))
        #expect(exporter.statistics.rejectedItems == 2, "\(exporter.statistics)")
        #expect(exporter.statistics.exportedItems == 4)
        #expect(exporter.statistics.lastRejectionMessage == "2 points too old")
        #expect(reports.all.contains { $0.contains("2 data points rejected by the collector") && $0.contains("2 points too old") }, "\(reports.all)")
    }

    @Test("a refused export is counted in data points and reported; points that cannot be encoded are left out and said")
    func failuresCounted() async throws {
        guard let receiver = try await ReceiverProcess.start(.init(fail: 1000, failStatus: 400)) else { return }
        defer { receiver.stop() }
        let reports = ReportBox()
        let exporter = try OTLPMetricExporter(configuration: configuration(receiver, .metrics, .httpProtobuf), reporter: { reports.append($0) })
        var snapshot = sampleSnapshot()
        snapshot.metrics[0].points.append(MetricPoint(attributes: [], startTime: 1, time: 2, value: .histogram(HistogramValue(count: 0, sum: 0, min: nil, max: nil, bounds: [], bucketCounts: [0]))))
        await #expect(throws: (any Error).self) { try await exporter.export(snapshot) }
        #expect(exporter.statistics.failedBatches == 1)
        #expect(exporter.statistics.failedItems == 7, "6 refused, 1 left out")
        #expect(exporter.statistics.exportedItems == 0)
        await exporter.shutdown(timeout: .seconds(5))
        let lines = reports.all
        #expect(lines.contains { $0.contains("6 data points in 1 batches failed") && $0.contains("HTTP 400") }, "\(lines)")
        #expect(lines.contains { $0.contains("1 data points left out") && $0.contains("orders_total") }, "\(lines)")
    }
}
