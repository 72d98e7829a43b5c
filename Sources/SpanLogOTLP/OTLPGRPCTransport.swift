#if OTLPGRPC
import GRPCCore
import GRPCNIOTransportHTTP2

/// OTLP/gRPC over grpc-swift-2 and its NIO HTTP/2 transport: a unary `Export` call to
/// `TraceService` or `LogsService` whose message bytes the OTLP encoder wrote (a pass-through
/// serializer, no generated code). `https` endpoints use TLS with the system's trust store, or
/// the CA of ``OTLPExporterConfiguration/TLS``, and its client certificate (mTLS); gzip uses
/// gRPC's own message compression.
///
/// ```swift
/// let transport = try OTLPGRPCTransport(configuration: configuration)
/// let result = await transport.send(body, signal: .logs, timeout: .seconds(10))
/// ```
final class OTLPGRPCTransport: OTLPTransport {
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let connections: Task<Void, Never>
    private let configuration: OTLPExporterConfiguration
    /// The connections' last TLS error, named in a failure it caused.
    private let handshakes = TLSHandshakeRecorder()

    init(configuration: OTLPExporterConfiguration) throws {
        let endpoint = configuration.endpoint.withDefaultPort(for: .grpc)
        let gzip = configuration.compression == .gzip
        let handshakes = self.handshakes
        let transport = try HTTP2ClientTransport.Posix(
            target: Self.target(host: endpoint.host, port: endpoint.port ?? 4317),
            transportSecurity: endpoint.usesTLS ? Self.transportSecurity(configuration.tls) : .plaintext,
            config: .defaults { config in
                config.compression = .init(algorithm: gzip ? .gzip : .none, enabledAlgorithms: gzip ? .all : .none)
                // Reconnect soon after a collector comes back: at most a second between attempts.
                config.backoff = .init(initial: .milliseconds(100), max: .seconds(1), multiplier: 1.6, jitter: 0.2)
                config.channelDebuggingCallbacks.onCreateTCPConnection = handshakes.install
            }
        )
        let client = GRPCClient(transport: transport)
        self.client = client
        self.connections = Task.detached { try? await client.runConnections() }
        self.configuration = configuration
    }

    /// An IP address literal as an address target: a DNS target would make its text the TLS
    /// server name (SNI), which may not be an IP address, and TLS to `https://127.0.0.1:4317`
    /// would never connect. The certificate is then checked against the address.
    static func target(host: String, port: Int) -> any ResolvableTarget {
        if host.contains(":") { return ResolvableTargets.IPv6.ipv6(address: host, port: port) }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ part in !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && UInt8(part) != nil }) {
            return ResolvableTargets.IPv4.ipv4(address: host, port: port)
        }
        return ResolvableTargets.DNS.dns(host: host, port: port)
    }

    /// TLS with the usable parts of `tls` (problems were reported when the exporter was made).
    static func transportSecurity(_ tls: OTLPExporterConfiguration.TLS) -> HTTP2ClientTransport.Posix.TransportSecurity {
        let (material, _) = OTLPTLSMaterial.load(tls)
        return .tls { config in
            if let roots = material.trustRootsPEM { config.trustRoots = .certificates([.bytes(roots, format: .pem)]) }
            if material.clientKey != nil {
                config.certificateChain = [.bytes(material.clientChainPEM, format: .pem)]
                config.privateKey = .bytes(material.clientKeyPEM, format: .pem)
            }
        }
    }

    func send(_ body: [UInt8], signal: OTLPSignal, headers: [(name: String, value: String)], timeout: Duration) async -> OTLPAttemptResult {
        var options = CallOptions.defaults
        options.timeout = timeout
        // Wait (within the timeout) for a connection rather than failing at once while the
        // channel is between reconnection attempts.
        options.waitForReady = true
        options.compression = self.configuration.compression == .gzip ? .gzip : CompressionAlgorithm.none
        options.executionPolicy = nil
        let callOptions = options
        let descriptor = MethodDescriptor(fullyQualifiedService: signal.grpcService, method: "Export")
        var metadata = Metadata()
        metadata.addString("SpanLog-OTLP/\(OTLPScope.version)", forKey: "user-agent")
        for header in headers {
            metadata.replaceOrAddString(header.value, forKey: header.name)
        }
        let request = ClientRequest(message: body, metadata: metadata)
        let client = self.client
        let handshakes = self.handshakes
        let start = ContinuousClock.now
        let result = await withTimeout(timeout) { () -> OTLPAttemptResult in
            do {
                let reply = try await client.unary(
                    request: request,
                    descriptor: descriptor,
                    serializer: PassThroughSerializer(),
                    deserializer: PassThroughDeserializer(),
                    options: callOptions
                ) { response in
                    try response.message
                }
                return .success(reply: OTLPReply(bytes: reply, encoding: .protobuf))
            } catch let error as RPCError {
                switch error.code {
                case .unavailable, .resourceExhausted, .deadlineExceeded, .aborted:
                    // The server's RetryInfo (gRPC's Retry-After), if it sent one.
                    let retryAfter = error.metadata[binaryValues: "grpc-status-details-bin"]
                        .lazy.compactMap { GRPCRetryInfo.retryDelay(statusDetails: $0) }.first
                    return .retryable(reason: Self.reason(error, tls: handshakes.lastError(since: start)), retryAfter: retryAfter)
                case .unauthenticated, .permissionDenied:
                    return .unauthenticated(reason: Self.reason(error))
                default:
                    return .permanent(reason: Self.reason(error))
                }
            } catch {
                return .retryable(reason: OTLPTLSFailure.describe(error), retryAfter: nil)
            }
        }
        let cause = handshakes.lastError(since: start).map { "; the connection failed: \($0)" } ?? ""
        return result ?? .retryable(reason: "no answer within \(timeout)\(cause)", retryAfter: nil)
    }

    /// The code and message; when TLS failed underneath (a certificate the exporter cannot
    /// verify, a handshake the collector refused), that cause in words.
    static func reason(_ error: RPCError, tls: String? = nil) -> String {
        let detail = OTLPTLSFailure.describe(error)
        if detail.hasPrefix("TLS:") { return "gRPC \(error.code): \(detail)" }
        let message = "gRPC \(error.code): \(OTLPPartialSuccess.printable(error.message, limit: OTLPTLSFailure.limit))"
        return tls.map { "\(message); the connection failed: \($0)" } ?? message
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
