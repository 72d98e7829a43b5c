import Foundation
import SpanLog
import SpanLogOTLP
import Testing

/// `ExportMetricsServiceRequest` as SpanLogOTLP writes it, decoded by the official
/// `opentelemetry-proto` classes (protobuf and OTLP/JSON).
@Suite("OTLP metrics encoding", .timeLimit(.minutes(5)))
struct OTLPMetricsEncodingTests {
    @Test("every kind decodes with the official classes, in protobuf and in JSON", arguments: [false, true])
    func officialDecoding(json: Bool) async throws {
        let snapshot = sampleSnapshot()
        let body = OTLPRequestEncoder(format: json ? .json : .protobuf).encode(snapshot)
        guard let metrics = try await decodeWithOfficialProto(body, json: json) else { return }
        #expect(metrics.map(\.name) == ["orders_total", "bytes_sent", "queue_depth", "request_duration"])

        let counter = try #require(metrics.first { $0.name == "orders_total" })
        #expect(counter.type == "sum")
        #expect(counter.temporality == 2)
        #expect(counter.monotonic)
        #expect(counter.points.count == 2)
        let orders = counter.points[0]
        #expect(pointAttributes(orders) == ["route": "/orders", "method": "POST"])
        #expect(orders["value_type"] as? String == "as_int")
        #expect((orders["value"] as? NSNumber)?.int64Value == 42)
        #expect(uint64(orders["start"]) == 1_764_000_000_000_000_000)
        #expect(uint64(orders["time"]) == 1_764_000_060_000_000_000)
        #expect((counter.points[1]["value"] as? NSNumber)?.int64Value == -1 << 40, "as_int is sfixed64: negatives survive")
        let exemplar = try #require((orders["exemplars"] as? [[String: Any]])?.first)
        #expect(exemplar["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(exemplar["span_id"] as? String == "00f067aa0ba902b7")
        #expect((exemplar["value"] as? NSNumber)?.int64Value == 3)
        #expect(uint64(exemplar["time"]) == 1_764_000_060_000_000_000 - 5)

        let bytes = try #require(metrics.first { $0.name == "bytes_sent" })
        #expect(bytes.unit == "By")
        #expect(bytes.temporality == 1)
        #expect(bytes.points.first?["value_type"] as? String == "as_double")
        #expect(bytes.points.first?["value"] as? Double == 1.5)

        let gauge = try #require(metrics.first { $0.name == "queue_depth" })
        #expect(gauge.type == "gauge")
        #expect(gauge.temporality == 0)
        #expect(!gauge.monotonic)
        #expect((gauge.points[0]["value"] as? NSNumber)?.int64Value == 7)
        #expect(gauge.points[1]["value"] as? Double == 0.25)
        #expect(uint64(gauge.points[0]["start"]) == 0)

        let histogram = try #require(metrics.first { $0.name == "request_duration" })
        #expect(histogram.type == "histogram")
        #expect(histogram.unit == "s")
        #expect(histogram.temporality == 2)
        let point = try #require(histogram.points.first)
        #expect(uint64(point["count"]) == 4)
        #expect(point["sum"] as? Double == 3.35)
        #expect(point["min"] as? Double == 0.05)
        #expect(point["max"] as? Double == 2)
        #expect((point["bucket_counts"] as? [NSNumber])?.map(\.uint64Value) == [1, 2, 0, 1])
        #expect(point["bounds"] as? [Double] == [0.1, 0.5, 1])
        let histogramExemplar = try #require((point["exemplars"] as? [[String: Any]])?.first)
        #expect(histogramExemplar["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(histogramExemplar["value"] as? Double == 0.3)
    }

    @Test("JSON: hex exemplar ids, 64-bit integers as strings, integer enums")
    func jsonMapping() {
        let text = String(decoding: OTLPRequestEncoder(format: .json).encode(sampleSnapshot()), as: UTF8.self)
        #expect(text.hasPrefix("{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\""))
        #expect(text.contains("\"aggregationTemporality\":2,\"isMonotonic\":true"))
        #expect(text.contains("\"asInt\":\"42\""))
        #expect(text.contains("\"asInt\":\"-1099511627776\""))
        #expect(text.contains("\"spanId\":\"00f067aa0ba902b7\",\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\""))
        #expect(text.contains("\"bucketCounts\":[\"1\",\"2\",\"0\",\"1\"],\"explicitBounds\":[0.1,0.5,1]"))
        #expect(text.contains("\"count\":\"4\""))
    }

    @Test("protobuf: bucket counts and bounds are packed, as_int is sfixed64")
    func protobufLayout() {
        let bytes = OTLPRequestEncoder(format: .protobuf).encode(sampleSnapshot())
        // HistogramDataPoint.bucket_counts (6, packed fixed64): tag 0x32, 4 × 8 bytes.
        var counts: [UInt8] = [0x32, 32]
        for count: UInt64 in [1, 2, 0, 1] { counts += withUnsafeBytes(of: count.littleEndian) { Array($0) } }
        #expect(contains(bytes, counts))
        // NumberDataPoint.as_int (6, sfixed64): tag 0x31, then 42 little-endian.
        #expect(contains(bytes, [0x31, 42, 0, 0, 0, 0, 0, 0, 0]))
        // Sum.is_monotonic (3): tag 0x18, 1.
        #expect(contains(bytes, [0x18, 1]))
    }

    @Test("an empty snapshot is an empty request")
    func emptySnapshot() {
        let empty = MetricsSnapshot(resource: SpanLogResource(serviceName: "x"), metrics: [])
        #expect(OTLPRequestEncoder(format: .protobuf).encode(empty).isEmpty)
        #expect(String(decoding: OTLPRequestEncoder(format: .json).encode(empty), as: UTF8.self) == "{\"resourceMetrics\":[]}")
    }

    func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
