import SpanLog

/// Where an exporter sends: `http` or `https`, a host, a port and a path, parsed from a URL such
/// as `http://tempo:4318/v1/traces` without Foundation. A missing scheme means `http`; a missing
/// port means 4317 for gRPC, 4318 for HTTP (see ``withDefaultPort(for:)``).
///
/// ```swift
/// let endpoint = OTLPEndpoint("https://collector.example.com:4318/v1/traces")!
/// print(endpoint.host, endpoint.port ?? 0, endpoint.path)  // collector.example.com 4318 /v1/traces
/// ```
public struct OTLPEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https` (TLS: the system's trust store, or ``OTLPExporterConfiguration/TLS``).
    public var scheme: String
    /// A host name, an IPv4 address or an IPv6 address (without brackets).
    public var host: String
    /// The port, if the URL names one.
    public var port: Int?
    /// The path, `""` when the URL has none.
    public var path: String

    /// Creates an endpoint from its parts.
    public init(scheme: String = "http", host: String, port: Int?, path: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses `scheme://host[:port][/path]` (or `host[:port][/path]`); `nil` when the scheme is
    /// not http or https, the host is empty or the port is not a number in 1...65535.
    public init?(_ text: String) {
        var rest = Substring(text.trimmingASCIIWhitespace())
        var scheme = "http"
        let separator = Array("://".utf8)
        let utf8 = Array(rest.utf8)
        if utf8.count >= separator.count,
            let offset = (0...(utf8.count - separator.count)).first(where: { utf8[$0..<($0 + separator.count)].elementsEqual(separator) })
        {
            let schemeEnd = rest.utf8.index(rest.startIndex, offsetBy: offset)
            scheme = rest[..<schemeEnd].lowercased()
            rest = rest[rest.utf8.index(schemeEnd, offsetBy: separator.count)...]
        }
        guard scheme == "http" || scheme == "https" else { return nil }
        let authority: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            self.path = String(rest[slash...])
        } else {
            authority = rest
            self.path = ""
        }
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { return nil }
        if let portPart {
            guard let port = Int(portPart), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            self.port = nil
        }
        self.scheme = scheme
        self.host = String(hostPart)
    }

    /// Whether the connection uses TLS.
    public var usesTLS: Bool { self.scheme == "https" }

    /// The endpoint with the protocol's default port (4317 for gRPC, 4318 for HTTP) if it had none.
    public func withDefaultPort(for protocolChoice: OTLPProtocol) -> OTLPEndpoint {
        var copy = self
        if copy.port == nil { copy.port = protocolChoice == .grpc ? 4317 : 4318 }
        return copy
    }

    /// The URL, e.g. `http://127.0.0.1:4318/v1/traces`.
    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let port = self.port.map { ":\($0)" } ?? ""
        return "\(self.scheme)://\(host)\(port)\(self.path)"
    }
}
