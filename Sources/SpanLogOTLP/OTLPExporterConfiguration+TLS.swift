extension OTLPExporterConfiguration {
    /// The PEM files that secure an `https` connection to the collector (both transports): a CA
    /// to trust instead of the system's store, and a client certificate with its key for mTLS.
    /// Read from `OTEL_EXPORTER_OTLP_CERTIFICATE`, `OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE` and
    /// `OTEL_EXPORTER_OTLP_CLIENT_KEY` (the `_TRACES_` / `_LOGS_` / `_METRICS_` forms win).
    ///
    /// The files are loaded and checked when the exporter is made. A file that cannot be used
    /// gives one warning naming it, and the connection stays TLS: an unusable CA file means the
    /// system trust store, an unusable client pair (one of the two missing, unreadable, not PEM,
    /// or a key that does not match the certificate) means no client certificate.
    ///
    /// ```swift
    /// configuration.tls = .init(
    ///     certificateFile: "/etc/otel/ca.pem",
    ///     clientCertificateFile: "/etc/otel/client.pem",
    ///     clientKeyFile: "/etc/otel/client-key.pem"
    /// )
    /// ```
    public struct TLS: Sendable, Hashable {
        /// CA certificates (PEM, one or more) that verify the collector, instead of the system's.
        public var certificateFile: String?
        /// The client's certificate chain (PEM), leaf first, for mTLS.
        public var clientCertificateFile: String?
        /// The client certificate's private key (PEM, not encrypted).
        public var clientKeyFile: String?

        /// Creates TLS settings; all `nil` means the system trust store and no client certificate.
        public init(certificateFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil) {
            self.certificateFile = certificateFile
            self.clientCertificateFile = clientCertificateFile
            self.clientKeyFile = clientKeyFile
        }

        /// Whether any file is named.
        var isEmpty: Bool { self.certificateFile == nil && self.clientCertificateFile == nil && self.clientKeyFile == nil }
    }
}
