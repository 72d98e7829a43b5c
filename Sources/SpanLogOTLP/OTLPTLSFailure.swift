/// Says in words why a connection failed when TLS was the cause: BoringSSL's reasons
/// (`CERTIFICATE_VERIFY_FAILED`, a missing client certificate) are buried in the error's text.
///
/// ```swift
/// let reason = OTLPTLSFailure.describe(error)
/// // "TLS: the collector's certificate failed verification (… CERTIFICATE_VERIFY_FAILED …); …"
/// ```
enum OTLPTLSFailure {
    /// The longest error text kept.
    static let limit = 600

    static func describe(_ error: any Error) -> String {
        let text = OTLPPartialSuccess.printable(String(describing: error), limit: Self.limit)
        let upper = text.uppercased()
        if upper.contains("CERTIFICATE_VERIFY_FAILED") || upper.contains("CERTIFICATE VERIFY FAILED") {
            return "TLS: the collector's certificate failed verification (is its CA in OTEL_EXPORTER_OTLP_CERTIFICATE, and is the host name in the certificate?): \(text)"
        }
        if upper.contains("CERTIFICATE_REQUIRED") || upper.contains("HANDSHAKE_FAILURE") || upper.contains("BAD_CERTIFICATE")
            || upper.contains("UNKNOWN_CA")
        {
            return "TLS: the collector refused the handshake (does it require a client certificate, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY?): \(text)"
        }
        if upper.contains("UNCLEANSHUTDOWN") {
            // Under TLS 1.3 a server checks the client's certificate after the client finished
            // its side of the handshake: a refusal then arrives as a connection closed without
            // TLS's own close.
            return "TLS: the collector closed the connection without ending TLS (under TLS 1.3 this is how a refused or missing client certificate looks: OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY?): \(text)"
        }
        return text
    }
}
