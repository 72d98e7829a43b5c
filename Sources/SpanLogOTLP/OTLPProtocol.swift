/// The OTLP wire protocol an exporter speaks.
///
/// ```swift
/// let protocolChoice = OTLPProtocol(rawValue: "http/protobuf")  // .httpProtobuf
/// ```
public enum OTLPProtocol: String, Sendable, Hashable, CaseIterable {
    /// OTLP/gRPC (`grpc`), usually on port 4317.
    case grpc
    /// OTLP/HTTP with protobuf bodies (`http/protobuf`), usually on port 4318.
    case httpProtobuf = "http/protobuf"
    /// OTLP/HTTP with JSON bodies (`http/json`).
    case httpJSON = "http/json"
}
