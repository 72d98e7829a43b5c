/// What one attempt to deliver a request body came to.
enum OTLPAttemptResult: Sendable {
    /// The collector took it; `reply` is its answer (an `Export…ServiceResponse`, which may
    /// carry a `partial_success`).
    case success(reply: OTLPReply)
    /// A transient failure (HTTP 429/502/503/504, gRPC UNAVAILABLE/RESOURCE_EXHAUSTED, no
    /// connection): try again after `retryAfter` if the server named a usable delay.
    case retryable(reason: String, retryAfter: RetryAfter?)
    /// The collector refused the credentials (HTTP 401/403, gRPC UNAUTHENTICATED /
    /// PERMISSION_DENIED): worth one more attempt with fresh headers, if a header provider can
    /// give them.
    case unauthenticated(reason: String)
    /// The collector refused it for good (e.g. HTTP 400): do not try again.
    case permanent(reason: String)
}

/// The body of a successful answer, bounded, and how it is encoded.
struct OTLPReply: Sendable {
    /// How the answer is encoded.
    enum Encoding: Sendable { case protobuf, json }

    var bytes: [UInt8]
    var encoding: Encoding

    /// No body (a reply whose partial success is empty).
    static let empty = OTLPReply(bytes: [], encoding: .protobuf)
}

/// Delivers encoded export requests: OTLP/HTTP or OTLP/gRPC. `send` makes one attempt; the
/// retries, the overall deadline, the headers and the counting are ``OTLPExportClient``'s.
///
/// ```swift
/// let result = await transport.send(body, signal: .traces, headers: [("authorization", "Bearer t")], timeout: .seconds(5))
/// ```
protocol OTLPTransport: Sendable {
    /// Sends one request body (protobuf or JSON, uncompressed) with `headers` (HTTP headers or
    /// gRPC metadata, the static ones and the header provider's merged); returns within about
    /// `timeout`, and soon after the calling task is cancelled.
    func send(_ body: [UInt8], signal: OTLPSignal, headers: [(name: String, value: String)], timeout: Duration) async -> OTLPAttemptResult
    /// Closes connections; no `send` follows.
    func shutdown() async
}
