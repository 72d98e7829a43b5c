import SpanLog

extension OTLPExporterConfiguration {
    /// Reads the configuration of `signal`'s exporter from environment variables; `nil` (after
    /// `warn`) when no usable endpoint is set. Every variable and rule is in `docs/otlp.md`:
    ///
    /// - Endpoint: `OTEL_EXPORTER_OTLP_{TRACES,LOGS,METRICS}_ENDPOINT` is used as it is; otherwise
    ///   `OTEL_ENDPOINT` (SpanLog's own, for traces it wins over the standard ones) or
    ///   `OTEL_EXPORTER_OTLP_ENDPOINT` is a base URL to which HTTP adds `/v1/traces`, `/v1/logs`
    ///   or `/v1/metrics` (a base that already ends in one of them has it replaced).
    /// - Protocol: `OTEL_EXPORTER_OTLP_{TRACES,LOGS,METRICS}_PROTOCOL`, then `OTEL_EXPORTER_OTLP_PROTOCOL`
    ///   (`grpc`, `http/protobuf`, `http/json`); otherwise port 4317 means gRPC, and anything
    ///   else (port 4318, a `/v1/…` path) means `http/protobuf`.
    /// - `OTEL_EXPORTER_OTLP[_SIGNAL]_HEADERS` (`k=v,k2=v2`, values percent-encoded; the
    ///   signal's own win per key), `_TIMEOUT` (milliseconds, default 10000) and
    ///   `_COMPRESSION` (`gzip` or `none`).
    /// - TLS: `OTEL_EXPORTER_OTLP[_SIGNAL]_CERTIFICATE`, `_CLIENT_CERTIFICATE`, `_CLIENT_KEY`
    ///   (PEM files, checked here, see ``tlsFromEnvironment(_:signal:endpoint:)``) and, for gRPC
    ///   to an endpoint without a scheme, `_INSECURE`.
    ///
    /// - Parameter endpoint: the endpoint `TelemetryConfiguration` settled on, used when the
    ///   environment names none (a configuration built in code).
    public static func fromEnvironment(
        _ environment: [String: String],
        signal: OTLPSignal,
        endpoint fallbackEndpoint: String? = nil,
        warn: (String) -> Void = { _ in }
    ) -> OTLPExporterConfiguration? {
        var reader = EnvironmentReader(environment)
        defer { reader.warnings.forEach(warn) }
        let signalName = signal.variableInfix
        let signalEndpointVariable = "OTEL_EXPORTER_OTLP_\(signalName)_ENDPOINT"

        // Which variable gives the endpoint, and whether it is a full URL or a base.
        let source: (variable: String, text: String, isFullURL: Bool)?
        if signal == .traces, let text = reader.raw("OTEL_ENDPOINT") {
            source = ("OTEL_ENDPOINT", text, false)
        } else if let text = reader.raw(signalEndpointVariable) {
            source = (signalEndpointVariable, text, true)
        } else if signal != .traces, let text = reader.raw("OTEL_ENDPOINT") {
            source = ("OTEL_ENDPOINT", text, false)
        } else if let text = reader.raw("OTEL_EXPORTER_OTLP_ENDPOINT") {
            source = ("OTEL_EXPORTER_OTLP_ENDPOINT", text, false)
        } else if let fallbackEndpoint {
            source = ("OTEL_ENDPOINT", fallbackEndpoint, false)
        } else {
            source = nil
        }
        guard let source else {
            warn("OTLP \(signal.rawValue) export is on but no endpoint is set (OTEL_ENDPOINT, \(signalEndpointVariable) or OTEL_EXPORTER_OTLP_ENDPOINT)")
            return nil
        }
        guard var endpoint = reader.url(
            source.variable, text: source.text, parse: { OTLPEndpoint($0) },
            problem: "is not an http:// or https:// URL with a valid port", using: "no OTLP \(signal.rawValue) export")
        else { return nil }

        let protocolVariable = reader.raw("OTEL_EXPORTER_OTLP_\(signalName)_PROTOCOL") != nil
            ? "OTEL_EXPORTER_OTLP_\(signalName)_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL"
        var protocolChoice = reader.choice(protocolVariable, default: Self.inferredProtocol(endpoint))
        #if !OTLPGRPC
        if protocolChoice == .grpc {
            reader.warn(
                source.variable, source.text,
                "asks for gRPC (OTLP \(signal.rawValue)), but this build has no gRPC transport (package trait OTLPGRPC is off)",
                using: "http/protobuf on the same address", disclosure: EnvironmentReader.disclosure(ofURL: source.text))
            protocolChoice = .httpProtobuf
        }
        #endif

        if protocolChoice != .grpc && !source.isFullURL {
            endpoint.path = Self.signalPath(base: endpoint.path, signal: signal)
        }

        // Header values may hold credentials: a warning never shows them.
        var headers: [(name: String, value: String)] = []
        for variable in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_\(signalName)_HEADERS"] {
            for (key, value) in reader.keyValueList(variable, item: "name=value", using: "the other headers", disclosure: .hidden) {
                let name = key.lowercased()
                headers.removeAll { $0.name == name }
                headers.append((name, value))
            }
        }

        var timeoutMilliseconds = 10_000
        var compression = Compression.none
        for variable in ["OTEL_EXPORTER_OTLP", "OTEL_EXPORTER_OTLP_\(signalName)"] {
            timeoutMilliseconds = reader.milliseconds("\(variable)_TIMEOUT", default: timeoutMilliseconds, range: 1...3_600_000)
            compression = reader.choice("\(variable)_COMPRESSION", default: compression)
        }

        // gRPC to an endpoint without a scheme: OTEL_EXPORTER_OTLP_[SIGNAL_]INSECURE decides.
        if protocolChoice == .grpc {
            Self.applyInsecure(&reader, &endpoint, signal: signal, hasScheme: source.text.contains("://"))
        }
        let tls = Self.tlsFromEnvironment(&reader, signal: signal, endpoint: endpoint)

        return OTLPExporterConfiguration(
            endpoint: endpoint,
            protocol: protocolChoice,
            headers: headers,
            timeout: .milliseconds(timeoutMilliseconds),
            compression: compression,
            tls: tls
        )
    }

    /// `OTEL_EXPORTER_OTLP_{SIGNAL}_INSECURE`, then `OTEL_EXPORTER_OTLP_INSECURE`, for a gRPC
    /// endpoint given without `http://` or `https://` (the only case the specification applies
    /// it to): `false` means TLS, `true` plain text. Unset, such an endpoint stays plain text
    /// (SpanLog's rule that no scheme means `http`); a value that is not a boolean means TLS.
    /// With a scheme, the scheme decides; `true` beside `https` is named in a warning.
    static func applyInsecure(_ reader: inout EnvironmentReader, _ endpoint: inout OTLPEndpoint, signal: OTLPSignal, hasScheme: Bool) {
        let signalVariable = "OTEL_EXPORTER_OTLP_\(signal.variableInfix)_INSECURE"
        let variable = reader.raw(signalVariable) != nil ? signalVariable : "OTEL_EXPORTER_OTLP_INSECURE"
        guard reader.raw(variable) != nil else { return }
        let insecure = reader.bool(variable, default: false)
        if !hasScheme {
            endpoint.scheme = insecure ? "http" : "https"
        } else if insecure && endpoint.usesTLS, let value = reader.raw(variable) {
            reader.warn(variable, value, "does not apply to \(endpoint) (the https scheme wins)", using: "TLS")
        }
    }

    /// The CA and client certificate files, the signal's own variable winning over the general
    /// one, checked now: each file that cannot be used gives one warning naming its variable
    /// and path and is left out (CA: the system trust store; client pair: no client
    /// certificate), so TLS is kept whatever is wrong. Files beside a plain-text endpoint are
    /// named in a warning and not used.
    static func tlsFromEnvironment(_ reader: inout EnvironmentReader, signal: OTLPSignal, endpoint: OTLPEndpoint) -> TLS {
        func variable(_ suffix: String) -> (name: String, path: String)? {
            for name in ["OTEL_EXPORTER_OTLP_\(signal.variableInfix)_\(suffix)", "OTEL_EXPORTER_OTLP_\(suffix)"] {
                if let path = reader.raw(name) { return (name, path) }
            }
            return nil
        }
        let certificate = variable("CERTIFICATE")
        let clientCertificate = variable("CLIENT_CERTIFICATE")
        let clientKey = variable("CLIENT_KEY")
        let named = [certificate, clientCertificate, clientKey].compactMap { $0 }
        guard !named.isEmpty else { return TLS() }
        guard endpoint.usesTLS else {
            for file in named {
                reader.warn(
                    file.name, file.path, "is set, but OTLP \(signal.rawValue) goes to \(endpoint) without TLS",
                    using: "no TLS files (use an https:// endpoint for TLS)")
            }
            return TLS()
        }
        var tls = TLS(certificateFile: certificate?.path)
        switch (clientCertificate, clientKey) {
        case (let file?, nil):
            reader.warn(
                file.name, file.path, "is set without OTEL_EXPORTER_OTLP_CLIENT_KEY (or OTEL_EXPORTER_OTLP_\(signal.variableInfix)_CLIENT_KEY)",
                using: OTLPTLSMaterial.noClientCertificate)
        case (nil, let file?):
            reader.warn(
                file.name, file.path,
                "is set without OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE (or OTEL_EXPORTER_OTLP_\(signal.variableInfix)_CLIENT_CERTIFICATE)",
                using: OTLPTLSMaterial.noClientCertificate)
        default:
            tls.clientCertificateFile = clientCertificate?.path
            tls.clientKeyFile = clientKey?.path
        }
        let (_, problems) = OTLPTLSMaterial.load(tls)
        for problem in problems {
            let name: String
            switch problem.setting {
            case .certificate:
                name = certificate?.name ?? "OTEL_EXPORTER_OTLP_CERTIFICATE"
                tls.certificateFile = nil
            case .clientCertificate, .clientKey:
                name = (problem.setting == .clientKey ? clientKey?.name : clientCertificate?.name) ?? "OTEL_EXPORTER_OTLP_CLIENT_KEY"
                tls.clientCertificateFile = nil
                tls.clientKeyFile = nil
            }
            reader.warn(name, problem.path, problem.problem, using: problem.fallback)
        }
        return tls
    }

    /// Port 4317 with no `/v1/` path means gRPC; everything else OTLP/HTTP with protobuf.
    static func inferredProtocol(_ endpoint: OTLPEndpoint) -> OTLPProtocol {
        if endpoint.port == 4317 && !endpoint.path.contains("/v1/") { return .grpc }
        return .httpProtobuf
    }

    /// `base` with the signal's path: a trailing `/v1/traces`, `/v1/logs` or `/v1/metrics` is
    /// replaced, anything else gets the path appended.
    static func signalPath(base: String, signal: OTLPSignal) -> String {
        var base = base
        for known in OTLPSignal.allCases where base.hasSuffix(known.httpPath) {
            base.removeLast(known.httpPath.count)
        }
        while base.hasSuffix("/") { base.removeLast() }
        return base + signal.httpPath
    }
}
