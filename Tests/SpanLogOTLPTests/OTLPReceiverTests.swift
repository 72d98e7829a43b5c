import Foundation
import SpanLog
import SpanLogOTLP
import Testing

/// Spans and correlated log records sent to a real receiver (the official Python classes decode
/// them), once per protocol and compression.
@Suite("OTLP export to a receiver built on opentelemetry-proto", .serialized, .timeLimit(.minutes(15)))
struct OTLPReceiverTests {
    struct Variant: CustomTestStringConvertible, Sendable {
        let protocolChoice: OTLPProtocol
        let compression: OTLPExporterConfiguration.Compression
        var testDescription: String { "\(self.protocolChoice.rawValue), \(self.compression.rawValue)" }
    }

    static var variants: [Variant] {
        var list: [Variant] = [
            Variant(protocolChoice: .httpProtobuf, compression: .none),
            Variant(protocolChoice: .httpProtobuf, compression: .gzip),
            Variant(protocolChoice: .httpJSON, compression: .none),
            Variant(protocolChoice: .httpJSON, compression: .gzip),
        ]
        #if OTLPGRPC
        list += [Variant(protocolChoice: .grpc, compression: .none), Variant(protocolChoice: .grpc, compression: .gzip)]
        #endif
        return list
    }

    @Test("a nested trace with an error, events and links, and its log records, arrive exactly", arguments: Self.variants)
    func nestedTraceArrives(_ variant: Variant) async throws {
        guard let receiver = try await ReceiverProcess.start() else { return }
        defer { receiver.stop() }
        let rig = try ExportRig(
            traces: configuration(receiver, .traces, variant.protocolChoice, variant.compression),
            logs: configuration(receiver, .logs, variant.protocolChoice, variant.compression)
        )
        let ids = runNestedTrace(rig)
        await rig.flush()
        let requests = await receiver.waitFor { decodedSpans($0).count >= 2 && decodedLogRecords($0).count >= 2 }
        await rig.shutdown()

        // Transport and encoding as asked.
        let transport = variant.protocolChoice == .grpc ? "grpc" : "http"
        #expect(requests.allSatisfy { $0["transport"] as? String == transport })
        if variant.protocolChoice != .grpc {
            let contentType = variant.protocolChoice == .httpJSON ? "application/json" : "application/x-protobuf"
            #expect(requests.allSatisfy { $0["content_type"] as? String == contentType })
            #expect(requests.allSatisfy { $0["content_encoding"] as? String == (variant.compression == .gzip ? "gzip" : "") })
        }

        let spans = decodedSpans(requests)
        try #require(spans.count == 2, "spans decoded: \(spans.count); requests: \(requests)")
        let root = try #require(spans.first { $0.span["name"] as? String == "http.server" })
        let child = try #require(spans.first { $0.span["name"] as? String == "db.query" })

        // SpanLogResource and scope.
        let resource = attributeMap(root.resource)
        #expect(resource["service.name"]?["stringValue"] as? String == "otlp-test")
        #expect(resource["deployment.environment"]?["stringValue"] as? String == "test")
        #expect(resource["service.version"]?["stringValue"] as? String == "1.2.3")
        #expect(root.scope["name"] as? String == "spanlog")
        #expect(root.scope["version"] as? String == OTLPScope.version)

        // Ids, parentage, kinds.
        #expect(root.span["traceId"] as? String == ids.root.traceID.description)
        #expect(root.span["spanId"] as? String == ids.root.spanID.description)
        #expect(root.span["parentSpanId"] == nil)
        #expect(child.span["traceId"] as? String == ids.root.traceID.description)
        #expect(child.span["spanId"] as? String == ids.child.spanID.description)
        #expect(child.span["parentSpanId"] as? String == ids.root.spanID.description)
        #expect(root.span["kind"] as? Int == 2)
        #expect(child.span["kind"] as? Int == 3)
        #expect(root.span["flags"] as? Int == 3, "the W3C flags: sampled, random trace id")

        // Times: fixed64 nanoseconds, decoded as decimal strings; the child inside the root.
        let rootStart = try #require(UInt64(root.span["startTimeUnixNano"] as? String ?? ""))
        let rootEnd = try #require(UInt64(root.span["endTimeUnixNano"] as? String ?? ""))
        let childStart = try #require(UInt64(child.span["startTimeUnixNano"] as? String ?? ""))
        let childEnd = try #require(UInt64(child.span["endTimeUnixNano"] as? String ?? ""))
        #expect(rootStart <= childStart && childStart <= childEnd && childEnd <= rootEnd)
        #expect(rootStart > 1_700_000_000_000_000_000)

        // Status: unset on the root, error with its message on the child.
        #expect(root.span["status"] == nil || (root.span["status"] as? [String: Any])?.isEmpty == true)
        let status = try #require(child.span["status"] as? [String: Any])
        #expect(status["code"] as? Int == 2)
        #expect(status["message"] as? String == "connection reset")

        // Typed attributes.
        let attributes = attributeMap(root.span)
        #expect(attributes["http.method"]?["stringValue"] as? String == "GET")
        #expect(attributes["http.status_code"]?["intValue"] as? String == "200")
        #expect(attributes["http.duration_seconds"]?["doubleValue"] as? Double == 0.25)
        #expect(attributes["cache.hit"]?["boolValue"] as? Bool == true)
        let tags = (attributes["tags"]?["arrayValue"] as? [String: Any])?["values"] as? [[String: Any]]
        #expect(tags?.compactMap { $0["stringValue"] as? String } == ["a", "b"])
        let sizes = (attributes["sizes"]?["arrayValue"] as? [String: Any])?["values"] as? [[String: Any]]
        #expect(sizes?.compactMap { $0["intValue"] as? String } == ["1", "-2"])

        // Event and link.
        let events = try #require(child.span["events"] as? [[String: Any]])
        #expect(events.count == 1)
        #expect(events.first?["name"] as? String == "retry")
        #expect(attributeMap(events[0])["attempt"]?["intValue"] as? String == "2")
        let eventTime = try #require(UInt64(events[0]["timeUnixNano"] as? String ?? ""))
        #expect(childStart <= eventTime && eventTime <= childEnd)
        let links = try #require(child.span["links"] as? [[String: Any]])
        #expect(links.count == 1)
        #expect(links.first?["traceId"] as? String == ids.linked.traceID.description)
        #expect(links.first?["spanId"] as? String == ids.linked.spanID.description)
        #expect(attributeMap(links[0])["link.reason"]?["stringValue"] as? String == "batch")

        // Correlated log records.
        let records = decodedLogRecords(requests)
        try #require(records.count == 2, "log records decoded: \(records.count)")
        let info = try #require(records.first { ($0.record["body"] as? [String: Any])?["stringValue"] as? String == "handling request" })
        let error = try #require(records.first { ($0.record["body"] as? [String: Any])?["stringValue"] as? String == "query failed" })
        #expect(attributeMap(info.resource)["service.name"]?["stringValue"] as? String == "otlp-test")
        #expect(info.record["severityNumber"] as? Int == 9)
        #expect(info.record["severityText"] as? String == "INFO")
        #expect(error.record["severityNumber"] as? Int == 17)
        #expect(error.record["severityText"] as? String == "ERROR")
        #expect(info.record["traceId"] as? String == ids.root.traceID.description)
        #expect(info.record["spanId"] as? String == ids.root.spanID.description)
        #expect(error.record["traceId"] as? String == ids.root.traceID.description)
        #expect(error.record["spanId"] as? String == ids.child.spanID.description)
        #expect(info.record["flags"] as? Int == 3)
        let time = try #require(UInt64(info.record["timeUnixNano"] as? String ?? ""))
        let observed = try #require(UInt64(info.record["observedTimeUnixNano"] as? String ?? ""))
        #expect(rootStart <= time && time <= observed)

        let logAttributes = attributeMap(info.record)
        #expect(logAttributes["user"]?["stringValue"] as? String == "42")
        #expect(logAttributes["logger"]?["stringValue"] as? String == "otlp.test")
        #expect(logAttributes["source"]?["stringValue"] as? String == "SpanLogOTLPTests")
        // OTLP keys are unique: a metadata entry named like a built-in attribute replaces it.
        let errorKeys = (error.record["attributes"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        #expect(errorKeys.filter { $0 == "source" }.count == 1, "\(errorKeys)")
        #expect(attributeMap(error.record)["source"]?["stringValue"] as? String == "from-metadata")
        #expect(logAttributes["code.line.number"]?["intValue"] as? String != nil)
        let nestedList = try #require(logAttributes["request"]?["kvlistValue"] as? [String: Any])
        let nested = attributeMapFromValues(nestedList)
        #expect(nested["route"]?["stringValue"] as? String == "/orders")
        let nestedIDs = (nested["ids"]?["arrayValue"] as? [String: Any])?["values"] as? [[String: Any]]
        #expect(nestedIDs?.compactMap { $0["stringValue"] as? String } == ["7", "8"])
        #expect(attributeMap(error.record)["db"]?["stringValue"] as? String == "orders")

        // Nothing failed, nothing was dropped.
        #expect(rig.spanExporter.statistics.failedItems == 0)
        #expect(rig.logExporter.statistics.failedItems == 0)
        #expect(rig.logExporter.statistics.droppedItems == 0)
    }
}

/// A `KeyValueList` object (`{"values":[…]}`) as a dictionary.
func attributeMapFromValues(_ list: [String: Any]) -> [String: [String: Any]] {
    attributeMap(["attributes": list["values"] ?? []])
}

/// An exporter configuration aimed at the receiver.
func configuration(
    _ receiver: ReceiverProcess,
    _ signal: OTLPSignal,
    _ protocolChoice: OTLPProtocol,
    _ compression: OTLPExporterConfiguration.Compression = .none,
    // Exports expected to arrive return as soon as they do; the first ones of a run share two
    // cores with every suite starting its Python peers at once.
    timeout: Duration = .seconds(20),
    retry: OTLPRetryPolicy = OTLPRetryPolicy(initialBackoff: .milliseconds(50))
) -> OTLPExporterConfiguration {
    let endpoint = protocolChoice == .grpc
        ? OTLPEndpoint(host: "127.0.0.1", port: receiver.grpcPort)
        : OTLPEndpoint(host: "127.0.0.1", port: receiver.httpPort, path: signal.httpPath)
    return OTLPExporterConfiguration(endpoint: endpoint, protocol: protocolChoice, timeout: timeout, compression: compression, retry: retry, reportInterval: .milliseconds(100))
}
