/// How one OTLP exporter (spans or logs) reaches its collector: the full endpoint, the protocol,
/// headers, timeout, compression and retries. Read it from the environment with
/// ``fromEnvironment(_:signal:endpoint:warn:)`` or build it by hand.
///
/// ```swift
/// let configuration = OTLPExporterConfiguration(
///     endpoint: OTLPEndpoint("http://127.0.0.1:4318/v1/traces")!,
///     protocol: .httpProtobuf,
///     compression: .gzip
/// )
/// let exporter = OTLPSpanExporter(configuration: configuration)
/// ```
public struct OTLPExporterConfiguration: Sendable {
    /// Body compression (`OTEL_EXPORTER_OTLP_COMPRESSION`).
    ///
    /// ```swift
    /// configuration.compression = .gzip
    /// ```
    public enum Compression: String, Sendable, Hashable, CaseIterable {
        /// Uncompressed.
        case none
        /// gzip (`Content-Encoding: gzip`, or gRPC's `grpc-encoding: gzip`).
        case gzip
    }

    /// Where to send. For HTTP this is the full URL, path included (e.g. `/v1/traces`); for gRPC
    /// only scheme, host and port count.
    public var endpoint: OTLPEndpoint
    /// gRPC, HTTP with protobuf, or HTTP with JSON.
    public var `protocol`: OTLPProtocol
    /// Extra request headers (gRPC metadata), e.g. an API key.
    public var headers: [(name: String, value: String)]
    /// Fresh headers for credentials that expire (see ``OTLPHeaderProvider``); they win over
    /// ``headers`` name by name.
    public var headerProvider: OTLPHeaderProvider?
    /// The CA and client certificate files for an `https` endpoint (see ``TLS``).
    public var tls: TLS
    /// The longest one export may take, retries included (`OTEL_EXPORTER_OTLP_TIMEOUT`).
    public var timeout: Duration
    /// Body compression.
    public var compression: Compression
    /// Retries on transient failures.
    public var retry: OTLPRetryPolicy
    /// The shortest time between two reports of failures in the log.
    public var reportInterval: Duration

    /// Creates a configuration.
    public init(
        endpoint: OTLPEndpoint,
        protocol: OTLPProtocol = .httpProtobuf,
        headers: [(name: String, value: String)] = [],
        timeout: Duration = .seconds(10),
        compression: Compression = .none,
        retry: OTLPRetryPolicy = OTLPRetryPolicy(),
        reportInterval: Duration = .seconds(10),
        tls: TLS = TLS(),
        headerProvider: OTLPHeaderProvider? = nil
    ) {
        self.endpoint = endpoint.withDefaultPort(for: `protocol`)
        self.protocol = `protocol`
        self.headers = headers
        self.timeout = timeout
        self.compression = compression
        self.retry = retry
        self.reportInterval = reportInterval
        self.tls = tls
        self.headerProvider = headerProvider
    }
}
