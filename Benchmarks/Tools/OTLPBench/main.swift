// The OTLP exporter's measurements behind docs/performance.md ("OTLP exporter"). Build it in
// release mode and run one mode at a time:
//
//   swift build --package-path Benchmarks -c release --product SpanLogOTLPBench
//   Benchmarks/.build/release/SpanLogOTLPBench encode
//   valgrind --tool=callgrind Benchmarks/.build/release/SpanLogOTLPBench count protobuf|json spans|logs ROUNDS
//   Benchmarks/.build/release/SpanLogOTLPBench throughput http://127.0.0.1:PORT/v1/traces RATE SECONDS
//   Benchmarks/.build/release/SpanLogOTLPBench down SECONDS
//   Benchmarks/.build/release/SpanLogOTLPBench sizing DIR   (then gzip the files: docs/scaling.md)
//
// `throughput` needs a receiver (Tests/SpanLogOTLPTests/Receiver/otlp_receiver.py --summary).

import Logging
import SpanLog
import SpanLogOTLP
import Synchronization
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

func monotonicNow() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Resident set size in KiB, from /proc/self/statm (its second field, in pages).
func residentKiB() -> Int {
    let descriptor = open("/proc/self/statm", O_RDONLY)
    guard descriptor >= 0 else { return -1 }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 256)
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return -1 }
    let fields = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: " ")
    guard fields.count >= 2, let pages = Int(fields[1]) else { return -1 }
    return pages * sysconf(Int32(_SC_PAGESIZE)) / 1024
}

let resource = SpanLogResource(serviceName: "bench", attributes: ["deployment.environment": "bench"])

/// A span shaped like an HTTP server span: 5 attributes, a parent, no events.
func makeSpan(_ index: Int) -> SpanRecord {
    var record = SpanRecord(
        name: "http.server",
        kind: .server,
        context: SpanContext(
            traceID: TraceID(high: 0x4bf92f3577b34da6 &+ UInt64(index), low: 0xa3ce929d0e0e4736),
            spanID: SpanID(rawValue: 0x00f067aa0ba902b7 &+ UInt64(index)),
            parentSpanID: SpanID(rawValue: 0x1234 &+ UInt64(index)),
            traceFlags: .sampled),
        start: RecordTime(nanosecondsSinceEpoch: 1_764_000_000_000_000_000 &+ Int64(index)),
        end: RecordTime(nanosecondsSinceEpoch: 1_764_000_000_250_000_000 &+ Int64(index)),
        resource: resource
    )
    record.attributes["http.method"] = "GET"
    record.attributes["http.route"] = "/orders/:id"
    record.attributes["http.status_code"] = 200
    record.attributes["http.duration_seconds"] = 0.25
    record.attributes["http.user_agent"] = "curl/8.5.0"
    return record
}

func encodeBenchmark() {
    let batch = (0..<512).map(makeSpan)
    let logs = (0..<512).map { index in
        OTLPLogEntry(record: LogRecord(
            level: .info, label: "api", message: "request handled",
            metadata: ["user": "42", "route": "/orders/:id", "status": "200", "bytes": "5120", "request_id": "\(index)"],
            spanContext: batch[index].context))
    }
    for format in [OTLPRequestEncoder.Format.protobuf, .json] {
        let encoder = OTLPRequestEncoder(format: format)
        var bytes = 0
        // Warm up, then the best of 5 rounds of 200 batches.
        for _ in 0..<50 { bytes = encoder.encode(batch).count }
        var best = UInt64.max
        for _ in 0..<5 {
            let start = monotonicNow()
            for _ in 0..<200 { bytes &+= encoder.encode(batch).count & 1 }
            best = min(best, monotonicNow() - start)
        }
        let perSpan = Double(best) / Double(200 * batch.count)
        let size = encoder.encode(batch).count
        var logBest = UInt64.max
        for _ in 0..<5 {
            let start = monotonicNow()
            for _ in 0..<200 { bytes &+= encoder.encode(logs, resource: resource).count & 1 }
            logBest = min(logBest, monotonicNow() - start)
        }
        let perLog = Double(logBest) / Double(200 * logs.count)
        let logSize = encoder.encode(logs, resource: resource).count
        print("encode \(format): \(String(format2: perSpan)) ns/span (\(size / batch.count) bytes/span), \(String(format2: perLog)) ns/log record (\(logSize / logs.count) bytes/record) [\(bytes & 1)]")
    }
}

extension String {
    init(format2 value: Double) {
        let rounded = (value * 10).rounded() / 10
        self = "\(rounded)"
    }
}

/// Spans through the real tracer and batch processor to an OTLP endpoint at `rate` per second.
func runTracer(endpoint: String, protocolChoice: OTLPProtocol, rate: Int, seconds: Double, sampleMemory: Bool) async throws {
    let configuration = OTLPExporterConfiguration(endpoint: OTLPEndpoint(endpoint)!, protocol: protocolChoice, timeout: .seconds(2))
    let exporter = try OTLPSpanExporter(configuration: configuration, reporter: { _ in })
    let tracer = SpanLogTracer(
        configuration: .init(resource: resource, sampler: ConstantSampler(.recordAndSample), logSpans: .none, tailSampling: nil,
                             batching: .init(scheduleDelayMilliseconds: 200)),
        logPipeline: nil,
        exporter: exporter
    )
    let logExporter = try OTLPLogRecordExporter(
        configuration: OTLPExporterConfiguration(endpoint: OTLPEndpoint(endpoint)!, protocol: protocolChoice, timeout: .seconds(2)),
        resource: resource, reporter: { _ in })
    let pipeline = LogPipeline(levels: LevelFilter(default: .info), outputs: [], exporters: [logExporter])
    let logger = Logger(label: "bench") { SpanLogHandler(label: $0, pipeline: pipeline) }
    let startRSS = residentKiB()
    var maxRSS = startRSS
    let start = monotonicNow()
    let total = Int(Double(rate) * seconds)
    let interval = 1_000_000_000 / UInt64(max(rate, 1))
    var produced = 0
    var latencies = [UInt64](repeating: 0, count: total)
    while produced < total {
        let due = start + UInt64(produced) * interval
        let now = monotonicNow()
        if now < due {
            // Sleep in 1 ms steps: produce in small bursts at the target rate.
            try await Task.sleep(for: .nanoseconds(Int64(min(due - now, 1_000_000))))
            continue
        }
        let before = monotonicNow()
        tracer.withSpan("http.server", ofKind: .server) { span in
            span.attributes["http.method"] = "GET"
            span.attributes["http.route"] = "/orders/:id"
            span.attributes["http.status_code"] = 200
            span.attributes["http.duration_seconds"] = 0.25
            span.attributes["http.user_agent"] = "curl/8.5.0"
            if sampleMemory { logger.info("request handled", metadata: ["user": "42"]) }
        }
        latencies[produced] = monotonicNow() - before
        produced += 1
        if sampleMemory && produced % 10_000 == 0 { maxRSS = max(maxRSS, residentKiB()) }
    }
    let produceTime = Double(monotonicNow() - start) / 1e9
    await tracer.processor?.forceFlush(timeoutMilliseconds: 10_000)
    let statistics = tracer.processor?.statistics
    let exporterStatistics = exporter.statistics
    maxRSS = max(maxRSS, residentKiB())
    latencies.sort()
    func percentile(_ fraction: Double) -> String {
        let index = min(latencies.count - 1, Int(Double(latencies.count) * fraction))
        return "\(latencies[index]) ns"
    }
    let latency = "caller p50 \(percentile(0.5)), p99 \(percentile(0.99)), p99.9 \(percentile(0.999)), max \(latencies.last ?? 0) ns"
    print("produced \(produced) spans in \(String(format2: produceTime)) s (\(String(format2: Double(produced) / produceTime)) spans/s); exported \(statistics?.exported ?? 0), dropped \(statistics?.dropped ?? 0), failed \(statistics?.failed ?? 0); exporter: \(exporterStatistics.exportedBatches) requests ok, \(exporterStatistics.failedBatches) failed, \(exporterStatistics.retries) retries; \(latency)")
    print("resident memory: \(startRSS) KiB at start, \(maxRSS) KiB at most, log records dropped: \(logExporter.statistics.droppedItems)")
    await tracer.shutdown()
    await logExporter.shutdown()
}

/// Encodes `rounds` batches of 512 spans or log records and nothing else, for instruction counts
/// under `valgrind --tool=callgrind` (the difference between two round counts, per item).
func countBenchmark(format: OTLPRequestEncoder.Format, logs: Bool, rounds: Int) {
    let batch = (0..<512).map(makeSpan)
    let entries = (0..<512).map { index in
        OTLPLogEntry(record: LogRecord(
            level: .info, label: "api", message: "request handled",
            metadata: ["user": "42", "route": "/orders/:id", "status": "200", "bytes": "5120", "request_id": "\(index)"],
            spanContext: batch[index].context))
    }
    let encoder = OTLPRequestEncoder(format: format)
    var total = 0
    for _ in 0..<rounds {
        total &+= logs ? encoder.encode(entries, resource: resource).count : encoder.encode(batch).count
    }
    print("\(rounds) rounds, \(total) bytes")
}

/// The bytes behind docs/scaling.md's sizing: one request of 512 spans and one of 512 log records
/// (protobuf and OTLP/JSON) carrying the resource a real process detects, and the same 512 spans
/// as span records, the JSON lines the file sink writes. The caller gzips the files (`gzip -6`,
/// what `OTEL_EXPORTER_OTLP_COMPRESSION=gzip` and the file sink use) and divides by 512.
func sizing(directory: String) {
    let detected = SpanLogResource.detected(serviceName: "checkout", environment: [
        "POD_NAME": "checkout-7d9f8b6c5-x2x4q", "POD_NAMESPACE": "shop", "NODE_NAME": "ip-10-0-12-34.eu-west-1.compute.internal",
    ])
    // makeSpan's ids and times differ by a few bits from span to span, which gzip squeezes far
    // better than real traffic: here ids are random and times, routes, statuses and durations vary.
    var random = SystemRandomNumberGenerator()
    let agents = ["curl/8.5.0", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "okhttp/4.12.0", "Go-http-client/1.1"]
    let batch = (0..<512).map { index in
        var span = makeSpan(index)
        let start = 1_764_000_000_000_000_000 &+ Int64(index) &* 1_900_000 &+ Int64.random(in: 0..<1_000_000, using: &random)
        let duration = Int64.random(in: 1_000_000..<400_000_000, using: &random)
        span.context = SpanContext(
            traceID: TraceID(high: random.next(), low: random.next()), spanID: SpanID(rawValue: random.next()),
            parentSpanID: index % 4 == 0 ? nil : SpanID(rawValue: random.next()), traceFlags: .sampled)
        span.start = RecordTime(nanosecondsSinceEpoch: start)
        span.end = RecordTime(nanosecondsSinceEpoch: start &+ duration)
        span.attributes["http.route"] = "/api/v1/resource\(index % 10)/{id}"
        span.attributes["http.status_code"] = index % 50 == 0 ? 500 : 200
        span.attributes["http.duration_seconds"] = Double(duration) / 1e9
        span.attributes["http.user_agent"] = agents[index % agents.count]
        span.resource = detected
        return span
    }
    let entries = (0..<512).map { index in
        OTLPLogEntry(record: LogRecord(
            level: .info, label: "api", message: "request handled",
            metadata: ["user": "\(UInt32.random(in: 1...999_999, using: &random))", "route": "/api/v1/resource\(index % 10)/{id}",
                       "status": index % 50 == 0 ? "500" : "200", "bytes": "\(Int.random(in: 100...99_999, using: &random))",
                       "request_id": "\(UInt64.random(in: 0...UInt64.max, using: &random))"],
            spanContext: batch[index].context))
    }
    func save(_ name: String, _ bytes: [UInt8]) {
        let fd = open(directory + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { print("cannot write \(directory)/\(name)"); return }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        print("\(name): \(bytes.count) bytes, \(bytes.count / 512) per item")
    }
    for (format, suffix) in [(OTLPRequestEncoder.Format.protobuf, "pb"), (.json, "json")] {
        let encoder = OTLPRequestEncoder(format: format)
        save("traces.\(suffix)", encoder.encode(batch))
        save("traces-1.\(suffix)", encoder.encode([batch[0]]))   // one span: the request's fixed part
        save("logs.\(suffix)", encoder.encode(entries, resource: detected))
    }
    var lines: [UInt8] = []
    var buffer = RecordBuffer()
    for span in batch {
        buffer.removeAll()
        JSONRecordEncoder().encode(span, into: &buffer)
        lines += buffer.bytes
        lines.append(UInt8(ascii: "\n"))
    }
    save("spans.jsonl", lines)

    // Metrics: what the HTTP middleware records for 10 routes × 2 status codes, one collection.
    let bounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
    var durations: [MetricPoint] = []
    var requests: [MetricPoint] = []
    for route in 0..<10 {
        for status in ["200", "500"] {
            let labels = [(key: "http.route", value: "/api/v1/resource\(route)/{id}"), (key: "http.response.status_code", value: status),
                          (key: "http.request.method", value: "GET")]
            let exemplar = MetricExemplar(value: .double(0.042), time: 1_764_000_060_000_000_000,
                                          traceID: batch[route].context.traceID, spanID: batch[route].context.spanID)
            durations.append(MetricPoint(
                attributes: labels, startTime: 1_764_000_000_000_000_000, time: 1_764_000_060_000_000_000,
                value: .histogram(HistogramValue(count: 6000, sum: 250.5, min: 0.001, max: 3.2, bounds: bounds,
                                                 bucketCounts: (0...bounds.count).map { UInt64(100 + $0 * 7) })),
                exemplars: Array(repeating: exemplar, count: 4)))
            requests.append(MetricPoint(attributes: labels, startTime: 1_764_000_000_000_000_000, time: 1_764_000_060_000_000_000,
                                        value: .integer(6000), exemplars: [exemplar]))
        }
    }
    let snapshot = MetricsSnapshot(resource: detected, metrics: [
        MetricStream(name: "http_server_request_duration_seconds", unit: "s", kind: .histogram, temporality: .cumulative, points: durations),
        MetricStream(name: "http_server_requests_total", kind: .sum(monotonic: true), temporality: .cumulative, points: requests),
    ])
    for (format, suffix) in [(OTLPRequestEncoder.Format.protobuf, "pb"), (.json, "json")] {
        let bytes = OTLPRequestEncoder(format: format).encode(snapshot)
        save("metrics.\(suffix)", bytes)
        print("metrics.\(suffix): \(bytes.count / 40) bytes per data point (20 histogram + 20 counter series)")
    }
    print("resource: \(detected.attributes.count + 1) attributes")
}

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "sizing" where arguments.count >= 3:
    sizing(directory: arguments[2])
case "encode":
    encodeBenchmark()
case "count" where arguments.count >= 5:
    countBenchmark(format: arguments[2] == "json" ? .json : .protobuf, logs: arguments[3] == "logs", rounds: Int(arguments[4]) ?? 10)
case "throughput" where arguments.count >= 5:
    let endpoint = arguments[2]
    let protocolChoice: OTLPProtocol = arguments.count > 5 ? OTLPProtocol(rawValue: arguments[5]) ?? .httpProtobuf : .httpProtobuf
    try await runTracer(endpoint: endpoint, protocolChoice: protocolChoice, rate: Int(arguments[3]) ?? 10_000, seconds: Double(arguments[4]) ?? 5, sampleMemory: false)
case "down" where arguments.count >= 3:
    // Port 9 (discard) on loopback: nothing listens, every export fails.
    try await runTracer(endpoint: "http://127.0.0.1:9/v1/traces", protocolChoice: .httpProtobuf, rate: 50_000, seconds: Double(arguments[2]) ?? 10, sampleMemory: true)
default:
    print("usage: SpanLogOTLPBench encode | count protobuf|json spans|logs ROUNDS | throughput URL RATE SECONDS [protocol] | down SECONDS | sizing DIR")
}
