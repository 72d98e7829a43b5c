public import SpanLog

/// Encodes export requests — `ExportTraceServiceRequest`, `ExportLogsServiceRequest` and
/// `ExportMetricsServiceRequest` — as protobuf or as OTLP/JSON, into a buffer it reuses from call
/// to call.
///
/// Spans are grouped by resource (one `ResourceSpans` per distinct ``Resource``), each group
/// under one scope named `spanlog`. The encoder is what the exporters use; it is public so that
/// a program can write OTLP payloads elsewhere (a file, a message queue). It is a class because
/// it owns its buffer; use one from one task at a time.
///
/// ```swift
/// let encoder = OTLPRequestEncoder(format: .protobuf)
/// let body: [UInt8] = encoder.encode(spans)  // POST to /v1/traces as application/x-protobuf
/// ```
public final class OTLPRequestEncoder {
    /// The body format.
    ///
    /// ```swift
    /// let json = OTLPRequestEncoder(format: .json)
    /// ```
    public enum Format: Sendable, Hashable {
        /// Protocol buffers binary (`application/x-protobuf`, and gRPC).
        case protobuf
        /// OTLP/JSON (`application/json`).
        case json
    }

    /// The format this encoder writes.
    public let format: Format
    var protobuf = ProtobufWriter()
    var json = OTLPJSONWriter()

    /// Creates an encoder.
    public init(format: Format) {
        self.format = format
    }

    /// An `ExportTraceServiceRequest` holding `spans`.
    public func encode(_ spans: [SpanRecord]) -> [UInt8] {
        switch self.format {
        case .protobuf:
            self.protobuf.reset()
            self.protobuf.traceRequest(spans)
            return self.protobuf.bytes
        case .json:
            self.json.reset()
            self.json.traceRequest(spans)
            return self.json.array
        }
    }

    /// An `ExportLogsServiceRequest` holding `entries`, all from `resource`.
    public func encode(_ entries: [OTLPLogEntry], resource: SpanLogResource) -> [UInt8] {
        switch self.format {
        case .protobuf:
            self.protobuf.reset()
            self.protobuf.logsRequest(entries, resource: resource)
            return self.protobuf.bytes
        case .json:
            self.json.reset()
            self.json.logsRequest(entries, resource: resource)
            return self.json.array
        }
    }

    /// An `ExportMetricsServiceRequest` holding `snapshot`: one `ResourceMetrics`, one scope.
    public func encode(_ snapshot: MetricsSnapshot) -> [UInt8] {
        switch self.format {
        case .protobuf:
            self.protobuf.reset()
            self.protobuf.metricsRequest(snapshot)
            return self.protobuf.bytes
        case .json:
            self.json.reset()
            self.json.metricsRequest(snapshot)
            return self.json.array
        }
    }
}

/// Groups spans by resource, keeping their order; almost always one group.
func groupedByResource(_ spans: [SpanRecord]) -> [(resource: SpanLogResource, spans: ArraySlice<SpanRecord>)] {
    guard let first = spans.first else { return [] }
    if spans.allSatisfy({ $0.resource == first.resource }) {
        return [(first.resource, spans[...])]
    }
    var groups: [(resource: SpanLogResource, spans: [SpanRecord])] = []
    for span in spans {
        if let index = groups.firstIndex(where: { $0.resource == span.resource }) {
            groups[index].spans.append(span)
        } else {
            groups.append((span.resource, [span]))
        }
    }
    return groups.map { ($0.resource, $0.spans[...]) }
}
