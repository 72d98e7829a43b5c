import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import SpanLog
import SpanLogFormat
import Synchronization

/// OTLP/HTTP over AsyncHTTPClient: `POST` to `/v1/traces` or `/v1/logs` with an
/// `application/x-protobuf` or `application/json` body, optionally gzip-compressed; `https`
/// uses TLS with the system's trust store, or the CA of ``OTLPExporterConfiguration/TLS``, and
/// the client certificate it names (mTLS).
///
/// Connection failures are not retried inside the client (`retryConnectionEstablishment` off):
/// they come back as retryable attempts, so ``OTLPExportClient`` applies its backoff and counts them.
///
/// The client has tracing switched off (`configuration.tracing.tracer = nil`): AsyncHTTPClient
/// would otherwise make a span for every export request with the global tracer, whose export
/// would make another request, and so on.
///
/// ```swift
/// let transport = OTLPHTTPTransport(configuration: configuration)
/// let result = await transport.send(body, signal: .traces, timeout: .seconds(10))
/// ```
final class OTLPHTTPTransport: OTLPTransport {
    private let client: HTTPClient
    private let configuration: OTLPExporterConfiguration
    /// Compresses bodies at zlib's default level (6) when the configuration asks for gzip.
    private let compressor: Mutex<GzipMemberWriter?>
    private let contentType: String
    private let isShutDown = Atomic(false)

    init(configuration: OTLPExporterConfiguration) {
        var clientConfiguration = HTTPClient.Configuration(
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(5)),
            connectionPool: HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(30)),
            decompression: .disabled
        )
        clientConfiguration.tracing.tracer = nil
        // A refused connection fails the attempt at once; the exporter's own retry loop (backoff,
        // jitter, counting, the export deadline) decides what happens next.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        if configuration.endpoint.usesTLS {
            // Problems were reported when the exporter was made; what is usable is used.
            let (material, _) = OTLPTLSMaterial.load(configuration.tls)
            var tls = TLSConfiguration.makeClientConfiguration()
            if let roots = material.trustRoots { tls.trustRoots = .certificates(roots) }
            if let key = material.clientKey {
                tls.certificateChain = material.clientChain.map { .certificate($0) }
                tls.privateKey = .privateKey(key)
            }
            clientConfiguration.tlsConfiguration = tls
        }
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.configuration = configuration
        self.compressor = Mutex(configuration.compression == .gzip ? GzipMemberWriter(level: 6) : nil)
        self.contentType = configuration.protocol == .httpJSON ? "application/json" : "application/x-protobuf"
    }

    func send(_ body: [UInt8], signal: OTLPSignal, headers: [(name: String, value: String)], timeout: Duration) async -> OTLPAttemptResult {
        var request = HTTPClientRequest(url: self.configuration.endpoint.description)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: self.contentType)
        request.headers.add(name: "User-Agent", value: "SpanLog-OTLP/\(OTLPScope.version)")
        for header in headers {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        var payload = body
        if self.configuration.compression == .gzip {
            payload = self.compressor.withLock { compressor in compressor.map { $0.member(of: body) } ?? body }
            request.headers.add(name: "Content-Encoding", value: "gzip")
        }
        request.body = .bytes(ByteBuffer(bytes: payload))
        let prepared = request
        let result = await withTimeout(timeout) { [client] () -> OTLPAttemptResult in
            do {
                let response = try await client.execute(prepared, timeout: .nanoseconds(Int64(clamping: timeout.nanoseconds)))
                let status = response.status.code
                // Read (a bounded part of) the body so the connection can be reused.
                let answer = (try? await response.body.collect(upTo: 1 << 20)).map { Array(buffer: $0) } ?? []
                switch status {
                case 200..<300:
                    let json = response.headers.first(name: "content-type").map { $0.lowercased().hasPrefix("application/json") }
                        ?? (self.configuration.protocol == .httpJSON)
                    return .success(reply: OTLPReply(bytes: answer, encoding: json ? .json : .protobuf))
                case 401, 403:
                    return .unauthenticated(reason: "HTTP \(status) \(Self.excerpt(answer))")
                case 429, 502, 503, 504:
                    // Retry-After only matters on a reply that asks for a retry.
                    let retryAfter = response.headers.first(name: "retry-after").map {
                        RetryAfter.parse($0, now: RecordTime.now().unsignedNanosecondsSinceEpoch)
                    }
                    return .retryable(reason: "HTTP \(status)", retryAfter: retryAfter)
                default:
                    return .permanent(reason: "HTTP \(status) \(Self.excerpt(answer))")
                }
            } catch is CancellationError {
                return .permanent(reason: "cancelled")
            } catch {
                return .retryable(reason: OTLPTLSFailure.describe(error), retryAfter: nil)
            }
        }
        return result ?? .retryable(reason: "no answer within \(timeout)", retryAfter: nil)
    }

    /// The start of an answer's body as one line of text (at most 200 characters).
    static func excerpt(_ bytes: [UInt8]) -> String {
        OTLPPartialSuccess.printable(String(decoding: bytes.prefix(800), as: UTF8.self), limit: 200)
    }

    func shutdown() async {
        self.isShutDown.store(true, ordering: .releasing)
        try? await self.client.shutdown()
    }

    /// An exporter dropped without `shutdown()` (a thrown error on the way, a test) must not take
    /// the process down: AsyncHTTPClient stops a debug build whose client is released while
    /// running. The client is shut down in the background instead; it lives until that ends.
    deinit {
        if !self.isShutDown.load(ordering: .acquiring) {
            self.client.shutdown { _ in }
        }
    }
}
