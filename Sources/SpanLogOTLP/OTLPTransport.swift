/// What one attempt to deliver a request body came to.
enum OTLPAttemptResult: Sendable {
    /// The collector took it.
    case success
    /// A transient failure (HTTP 429/502/503/504, gRPC UNAVAILABLE/RESOURCE_EXHAUSTED, no
    /// connection): try again after `retryAfter` if the server named a usable delay.
    case retryable(reason: String, retryAfter: RetryAfter?)
    /// The collector refused it for good (e.g. HTTP 400): do not try again.
    case permanent(reason: String)
}

/// Delivers encoded export requests: OTLP/HTTP or OTLP/gRPC. `send` makes one attempt; the
/// retries, the overall deadline and the counting are ``OTLPExportClient``'s.
///
/// ```swift
/// let result = await transport.send(body, signal: .traces, timeout: .seconds(5))
/// ```
protocol OTLPTransport: Sendable {
    /// Sends one request body (protobuf or JSON, uncompressed); returns within about `timeout`,
    /// and soon after the calling task is cancelled.
    func send(_ body: [UInt8], signal: OTLPSignal, timeout: Duration) async -> OTLPAttemptResult
    /// Closes connections; no `send` follows.
    func shutdown() async
}
