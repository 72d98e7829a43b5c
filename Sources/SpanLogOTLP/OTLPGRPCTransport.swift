#if OTLPGRPC
import GRPCCore
import GRPCNIOTransportHTTP2

/// OTLP/gRPC over grpc-swift-2 and its NIO HTTP/2 transport: a unary `Export` call to
/// `TraceService` or `LogsService` whose message bytes the OTLP encoder wrote (a pass-through
/// serializer, no generated code). `https` endpoints use TLS with the system's trust store;
/// gzip uses gRPC's own message compression.
///
/// ```swift
/// let transport = try OTLPGRPCTransport(configuration: configuration)
/// let result = await transport.send(body, signal: .logs, timeout: .seconds(10))
/// ```
final class OTLPGRPCTransport: OTLPTransport {
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let connections: Task<Void, Never>
    private let configuration: OTLPExporterConfiguration
    private let metadata: Metadata

    init(configuration: OTLPExporterConfiguration) throws {
        let endpoint = configuration.endpoint.withDefaultPort(for: .grpc)
        let gzip = configuration.compression == .gzip
        let transport = try HTTP2ClientTransport.Posix(
            target: .dns(host: endpoint.host, port: endpoint.port),
            transportSecurity: endpoint.usesTLS ? .tls : .plaintext,
            config: .defaults { config in
                config.compression = .init(algorithm: gzip ? .gzip : .none, enabledAlgorithms: gzip ? .all : .none)
                // Reconnect soon after a collector comes back: at most a second between attempts.
                config.backoff = .init(initial: .milliseconds(100), max: .seconds(1), multiplier: 1.6, jitter: 0.2)
            }
        )
        let client = GRPCClient(transport: transport)
        self.client = client
        self.connections = Task.detached { try? await client.runConnections() }
        self.configuration = configuration
        var metadata = Metadata()
        metadata.addString("SpanLog-OTLP/\(OTLPScope.version)", forKey: "user-agent")
        for header in configuration.headers {
            metadata.replaceOrAddString(header.value, forKey: header.name)
        }
        self.metadata = metadata
    }

    func send(_ body: [UInt8], signal: OTLPSignal, timeout: Duration) async -> OTLPAttemptResult {
        var options = CallOptions.defaults
        options.timeout = timeout
        // Wait (within the timeout) for a connection rather than failing at once while the
        // channel is between reconnection attempts.
        options.waitForReady = true
        options.compression = self.configuration.compression == .gzip ? .gzip : CompressionAlgorithm.none
        options.executionPolicy = nil
        let callOptions = options
        let descriptor = MethodDescriptor(fullyQualifiedService: signal.grpcService, method: "Export")
        let request = ClientRequest(message: body, metadata: self.metadata)
        let client = self.client
        let result = await withTimeout(timeout) { () -> OTLPAttemptResult in
            do {
                _ = try await client.unary(
                    request: request,
                    descriptor: descriptor,
                    serializer: PassThroughSerializer(),
                    deserializer: PassThroughDeserializer(),
                    options: callOptions
                ) { response in
                    try response.message
                }
                return .success
            } catch let error as RPCError {
                switch error.code {
                case .unavailable, .resourceExhausted, .deadlineExceeded, .aborted:
                    // The server's RetryInfo (gRPC's Retry-After), if it sent one.
                    let retryAfter = error.metadata[binaryValues: "grpc-status-details-bin"]
                        .lazy.compactMap { GRPCRetryInfo.retryDelay(statusDetails: $0) }.first
                    return .retryable(reason: "gRPC \(error.code): \(error.message)", retryAfter: retryAfter)
                default:
                    return .permanent(reason: "gRPC \(error.code): \(error.message)")
                }
            } catch {
                return .retryable(reason: "\(error)", retryAfter: nil)
            }
        }
        return result ?? .retryable(reason: "no answer within \(timeout)", retryAfter: nil)
    }

    func shutdown() async {
        self.client.beginGracefulShutdown()
        let connections = self.connections
        if await withTimeout(.seconds(2), { await connections.value }) == nil {
            connections.cancel()
        }
    }
}
#endif
