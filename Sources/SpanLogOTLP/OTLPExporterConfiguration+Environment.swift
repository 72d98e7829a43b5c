extension OTLPExporterConfiguration {
    /// Reads the configuration of `signal`'s exporter from environment variables; `nil` (after
    /// `warn`) when no usable endpoint is set. Every variable and rule is in `docs/otlp.md`:
    ///
    /// - Endpoint: `OTEL_EXPORTER_OTLP_{TRACES,LOGS}_ENDPOINT` is used as it is; otherwise
    ///   `OTEL_ENDPOINT` (SpanLog's own, for traces it wins over the standard ones) or
    ///   `OTEL_EXPORTER_OTLP_ENDPOINT` is a base URL to which HTTP adds `/v1/traces` or
    ///   `/v1/logs` (a base that already ends in `/v1/traces` or `/v1/logs` has it replaced).
    /// - Protocol: `OTEL_EXPORTER_OTLP_{TRACES,LOGS}_PROTOCOL`, then `OTEL_EXPORTER_OTLP_PROTOCOL`
    ///   (`grpc`, `http/protobuf`, `http/json`); otherwise port 4317 means gRPC, and anything
    ///   else (port 4318, a `/v1/…` path) means `http/protobuf`.
    /// - `OTEL_EXPORTER_OTLP[_SIGNAL]_HEADERS` (`k=v,k2=v2`, values percent-encoded; the
    ///   signal's own win per key), `_TIMEOUT` (milliseconds, default 10000) and
    ///   `_COMPRESSION` (`gzip` or `none`).
    ///
    /// - Parameter endpoint: the endpoint `TelemetryConfiguration` settled on, used when the
    ///   environment names none (a configuration built in code).
    public static func fromEnvironment(
        _ environment: [String: String],
        signal: OTLPSignal,
        endpoint fallbackEndpoint: String? = nil,
        warn: (String) -> Void = { _ in }
    ) -> OTLPExporterConfiguration? {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingSpaces(), !raw.isEmpty else { return nil }
            return raw
        }
        let signalName = signal.variableInfix
        let signalEndpointVariable = "OTEL_EXPORTER_OTLP_\(signalName)_ENDPOINT"

        // Which variable gives the endpoint, and whether it is a full URL or a base.
        let source: (variable: String, text: String, isFullURL: Bool)?
        if signal == .traces, let text = value("OTEL_ENDPOINT") {
            source = ("OTEL_ENDPOINT", text, false)
        } else if let text = value(signalEndpointVariable) {
            source = (signalEndpointVariable, text, true)
        } else if signal == .logs, let text = value("OTEL_ENDPOINT") {
            source = ("OTEL_ENDPOINT", text, false)
        } else if let text = value("OTEL_EXPORTER_OTLP_ENDPOINT") {
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
        guard var endpoint = OTLPEndpoint(source.text) else {
            warn("\(source.variable)=\(source.text) is not an http:// or https:// URL with a valid port; OTLP \(signal.rawValue) export is off")
            return nil
        }

        var protocolChoice: OTLPProtocol
        let protocolVariable = value("OTEL_EXPORTER_OTLP_\(signalName)_PROTOCOL") != nil
            ? "OTEL_EXPORTER_OTLP_\(signalName)_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL"
        if let text = value(protocolVariable) {
            if let parsed = OTLPProtocol(rawValue: text.lowercased()) {
                protocolChoice = parsed
            } else {
                protocolChoice = Self.inferredProtocol(endpoint)
                warn("\(protocolVariable)=\(text) is not one of grpc|http/protobuf|http/json; using \(protocolChoice.rawValue)")
            }
        } else {
            protocolChoice = Self.inferredProtocol(endpoint)
        }
        #if !OTLPGRPC
        if protocolChoice == .grpc {
            warn("OTLP \(signal.rawValue): \(source.variable)=\(source.text) asks for gRPC, but this build has no gRPC transport (package trait OTLPGRPC is off); using http/protobuf on the same address")
            protocolChoice = .httpProtobuf
        }
        #endif

        if protocolChoice != .grpc && !source.isFullURL {
            endpoint.path = Self.signalPath(base: endpoint.path, signal: signal)
        }

        var headers: [(name: String, value: String)] = []
        for variable in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_\(signalName)_HEADERS"] {
            guard let text = value(variable) else { continue }
            for item in text.split(separator: ",") {
                let pair = String(item)
                guard let equals = pair.firstIndex(of: "="),
                    case let name = String(pair[..<equals]).trimmingSpaces().lowercased(), !name.isEmpty,
                    let decoded = String(pair[pair.index(after: equals)...]).trimmingSpaces().percentDecoded()
                else {
                    warn("\(variable): '\(pair)' is not name=value (value percent-encoded); ignoring it")
                    continue
                }
                headers.removeAll { $0.name == name }
                headers.append((name, decoded))
            }
        }

        var timeout = Duration.seconds(10)
        for variable in ["OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_\(signalName)_TIMEOUT"] {
            guard let text = value(variable) else { continue }
            if let milliseconds = Int(text), milliseconds > 0, milliseconds <= 3_600_000 {
                timeout = .milliseconds(milliseconds)
            } else {
                warn("\(variable)=\(text) is not a number of milliseconds in 1...3600000; keeping \(timeout)")
            }
        }

        var compression = Compression.none
        for variable in ["OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_\(signalName)_COMPRESSION"] {
            guard let text = value(variable) else { continue }
            if let parsed = Compression(rawValue: text.lowercased()) {
                compression = parsed
            } else {
                warn("\(variable)=\(text) is not one of gzip|none; using \(compression.rawValue)")
            }
        }

        return OTLPExporterConfiguration(
            endpoint: endpoint,
            protocol: protocolChoice,
            headers: headers,
            timeout: timeout,
            compression: compression
        )
    }

    /// Port 4317 with no `/v1/` path means gRPC; everything else OTLP/HTTP with protobuf.
    static func inferredProtocol(_ endpoint: OTLPEndpoint) -> OTLPProtocol {
        if endpoint.port == 4317 && !endpoint.path.contains("/v1/") { return .grpc }
        return .httpProtobuf
    }

    /// `base` with the signal's path: a trailing `/v1/traces` or `/v1/logs` is replaced, anything
    /// else gets the path appended.
    static func signalPath(base: String, signal: OTLPSignal) -> String {
        var base = base
        for known in OTLPSignal.allCases where base.hasSuffix(known.httpPath) {
            base.removeLast(known.httpPath.count)
        }
        while base.hasSuffix("/") { base.removeLast() }
        return base + signal.httpPath
    }
}

extension String {
    /// Decodes `%XX` escapes; `nil` when one is malformed or the result is not UTF-8.
    func percentDecoded() -> String? {
        var bytes: [UInt8] = []
        var iterator = self.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexNibble), let low = iterator.next().flatMap(hexNibble) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

private func hexNibble(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
