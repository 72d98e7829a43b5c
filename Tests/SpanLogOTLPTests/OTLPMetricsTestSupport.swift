import Foundation
import PythonPeers
import SpanLog
import SpanLogOTLP

/// One metric as the receiver flattened it (`metric_summaries` in `Receiver/otlp_receiver.py`).
struct DecodedMetric {
    let name: String
    let unit: String
    let type: String
    let temporality: Int
    let monotonic: Bool
    let points: [[String: Any]]
    /// Which request it came in (its index in the receiver's output).
    let request: Int

    init(_ object: [String: Any], request: Int) {
        self.name = object["name"] as? String ?? ""
        self.unit = object["unit"] as? String ?? ""
        self.type = object["type"] as? String ?? ""
        self.temporality = object["temporality"] as? Int ?? 0
        self.monotonic = object["monotonic"] as? Bool ?? false
        self.points = object["points"] as? [[String: Any]] ?? []
        self.request = request
    }
}

/// The metrics of every decoded metrics request, in arrival order.
func decodedMetrics(_ requests: [[String: Any]]) -> [DecodedMetric] {
    var result: [DecodedMetric] = []
    for (index, request) in requests.enumerated() where request["signal"] as? String == "metrics" {
        for metric in request["metrics"] as? [[String: Any]] ?? [] {
            result.append(DecodedMetric(metric, request: index))
        }
    }
    return result
}

/// A point's attributes as plain strings (`{"route": "/a"}`).
func pointAttributes(_ point: [String: Any]) -> [String: String] {
    var result: [String: String] = [:]
    for (key, value) in point["attributes"] as? [String: Any] ?? [:] {
        result[key] = (value as? [String: Any])?["stringValue"] as? String
    }
    return result
}

func uint64(_ value: Any?) -> UInt64? {
    if let number = value as? NSNumber { return number.uint64Value }
    if let text = value as? String { return UInt64(text) }
    return nil
}

/// Decodes an `ExportMetricsServiceRequest` body with the official Python classes, the way the
/// receiver does (protobuf, or OTLP/JSON with hex ids), and returns the receiver's flattened
/// metrics. `nil` when the Python peers are skipped on purpose; throws when decoding fails or
/// takes longer than `timeout` seconds (the process is then killed by its PID).
func decodeWithOfficialProto(_ body: [UInt8], json: Bool, timeout: Double = 30) async throws -> [DecodedMetric]? {
    guard let python = try await PythonPeers.interpreter() else { return nil }
    let directory = URL(fileURLWithPath: ReceiverProcess.scriptPath).deletingLastPathComponent().path
    let script = """
        import json, sys
        sys.dont_write_bytecode = True
        sys.path.insert(0, \(String(reflecting: directory)))
        import otlp_receiver
        from google.protobuf import json_format
        from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
        body = sys.stdin.buffer.read()
        message = metrics_service_pb2.ExportMetricsServiceRequest()
        if \(json ? "True" : "False"):
            document = json.loads(body)
            otlp_receiver.ids_to_base64(document)
            json_format.ParseDict(document, message)
        else:
            message.ParseFromString(body)
        print(json.dumps({"metrics": otlp_receiver.metric_summaries(message)}))
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script]
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    signal(SIGPIPE, SIG_IGN)
    try process.run()
    let data = Data(body)
    Thread {
        try? input.fileHandleForWriting.write(contentsOf: data)
        try? input.fileHandleForWriting.close()
    }.start()
    let collected = OutputBox()
    Thread { collected.set(output.fileHandleForReading.readDataToEndOfFile(), errors.fileHandleForReading.readDataToEndOfFile()) }.start()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw ReceiverError("decoding with the official classes took more than \(timeout) s")
    }
    process.waitUntilExit()
    var result: (Data, Data)?
    while result == nil && Date() < deadline.addingTimeInterval(5) {
        result = collected.get()
        if result == nil { try await Task.sleep(for: .milliseconds(10)) }
    }
    guard let (stdout, _) = result, process.terminationStatus == 0,
        let object = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any]
    else {
        throw ReceiverError("the official classes could not decode the request: \(String(decoding: collected.get()?.1 ?? Data(), as: UTF8.self))")
    }
    return (object["metrics"] as? [[String: Any]] ?? []).map { DecodedMetric($0, request: 0) }
}

private final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data, Data)?
    func set(_ out: Data, _ err: Data) { self.lock.withLock { self.value = (out, err) } }
    func get() -> (Data, Data)? { self.lock.withLock { self.value } }
}

/// A snapshot with every kind: an integer counter with an exemplar, a floating-point sum, an
/// integer and a double gauge, and a histogram with min, max and an exemplar.
func sampleSnapshot(start: UInt64 = 1_764_000_000_000_000_000, time: UInt64 = 1_764_000_060_000_000_000) -> MetricsSnapshot {
    let traceID = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)
    let spanID = SpanID(rawValue: 0x00f0_67aa_0ba9_02b7)
    let exemplar = MetricExemplar(value: .integer(3), time: time - 5, traceID: traceID, spanID: spanID)
    let histogramExemplar = MetricExemplar(value: .double(0.3), time: time - 7, traceID: traceID, spanID: spanID)
    return MetricsSnapshot(
        resource: SpanLogResource(serviceName: "metrics-test", attributes: ["deployment.environment": "test"]),
        metrics: [
            MetricStream(
                name: "orders_total", description: "orders placed", kind: .sum(monotonic: true), temporality: .cumulative,
                points: [
                    MetricPoint(attributes: [("route", "/orders"), ("method", "POST")], startTime: start, time: time, value: .integer(42), exemplars: [exemplar]),
                    MetricPoint(attributes: [("route", "/refunds"), ("method", "POST")], startTime: start, time: time, value: .integer(-1 << 40)),
                ]),
            MetricStream(
                name: "bytes_sent", unit: "By", kind: .sum(monotonic: true), temporality: .delta,
                points: [MetricPoint(attributes: [], startTime: start, time: time, value: .double(1.5))]),
            MetricStream(
                name: "queue_depth", kind: .gauge, temporality: .cumulative,
                points: [
                    MetricPoint(attributes: [("queue", "mail")], startTime: 0, time: time, value: .integer(7)),
                    MetricPoint(attributes: [("queue", "sms")], startTime: 0, time: time, value: .double(0.25)),
                ]),
            MetricStream(
                name: "request_duration", unit: "s", kind: .histogram, temporality: .cumulative,
                points: [
                    MetricPoint(
                        attributes: [("route", "/orders")], startTime: start, time: time,
                        value: .histogram(HistogramValue(count: 4, sum: 3.35, min: 0.05, max: 2, bounds: [0.1, 0.5, 1], bucketCounts: [1, 2, 0, 1])),
                        exemplars: [histogramExemplar]),
                ]),
        ])
}
