import SpanLog
import SpanLogOTLP
import Testing

@Suite("OTLP endpoint rules and environment variables")
struct OTLPConfigurationTests {
    func read(_ environment: [String: String], _ signal: OTLPSignal = .traces) -> (OTLPExporterConfiguration?, [String]) {
        var warnings: [String] = []
        let configuration = OTLPExporterConfiguration.fromEnvironment(environment, signal: signal, warn: { warnings.append($0) })
        return (configuration, warnings)
    }

    @Test("OTEL_ENDPOINT on port 4318 or with /v1/traces means HTTP; the path is /v1/traces")
    func httpByPortOrPath() throws {
        let (byPort, _) = read(["OTEL_ENDPOINT": "http://tempo:4318"])
        #expect(byPort?.protocol == .httpProtobuf)
        #expect(byPort?.endpoint.description == "http://tempo:4318/v1/traces")
        let (byPath, _) = read(["OTEL_ENDPOINT": "http://tempo:4318/v1/traces"])
        #expect(byPath?.protocol == .httpProtobuf)
        #expect(byPath?.endpoint.description == "http://tempo:4318/v1/traces")
        let (logs, _) = read(["OTEL_ENDPOINT": "http://tempo:4318/v1/traces"], .logs)
        #expect(logs?.endpoint.description == "http://tempo:4318/v1/logs")
    }

    @Test("OTEL_ENDPOINT on port 4317 means gRPC (HTTP/protobuf when the OTLPGRPC trait is off)")
    func grpcByPort() throws {
        let (configuration, warnings) = read(["OTEL_ENDPOINT": "http://tempo:4317"])
        #if OTLPGRPC
        #expect(configuration?.protocol == .grpc)
        #expect(configuration?.endpoint.description == "http://tempo:4317")
        #expect(warnings.isEmpty)
        #else
        #expect(configuration?.protocol == .httpProtobuf)
        #expect(warnings.count == 1)
        #endif
    }

    @Test("OTEL_EXPORTER_OTLP_PROTOCOL and the per-signal protocol override the port rule")
    func protocolOverride() throws {
        let (json, _) = read(["OTEL_ENDPOINT": "http://tempo:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"])
        #expect(json?.protocol == .httpJSON)
        #expect(json?.endpoint.description == "http://tempo:4317/v1/traces")
        let (perSignal, _) = read(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "http/protobuf"], .logs)
        #expect(perSignal?.protocol == .httpProtobuf)
        let (bad, warnings) = read(["OTEL_ENDPOINT": "http://tempo:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "carrier-pigeon"])
        #expect(bad?.protocol == .httpProtobuf)
        #expect(warnings.count == 1 && warnings[0].contains("OTEL_EXPORTER_OTLP_PROTOCOL"))
    }

    @Test("standard variables: base endpoint gets the signal path, per-signal endpoint is used as is")
    func standardEndpoints() throws {
        let (base, _) = read(["OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.example.com:4318/otlp/"])
        #expect(base?.endpoint.description == "https://collector.example.com:4318/otlp/v1/traces")
        #expect(base?.endpoint.usesTLS == true)
        let (signal, _) = read(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://b:9999/custom/logs"], .logs)
        #expect(signal?.endpoint.description == "http://b:9999/custom/logs")
        let (noPort, _) = read(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"])
        #expect(noPort?.endpoint.description == "http://collector:4318/v1/traces")
        let (seedWins, _) = read(["OTEL_ENDPOINT": "http://seed:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://standard:4318/v1/traces"])
        #expect(seedWins?.endpoint.host == "seed")
    }

    @Test("headers, timeout and compression; bad values warn and fall back")
    func headersTimeoutCompression() throws {
        let (configuration, warnings) = read([
            "OTEL_ENDPOINT": "http://c:4318",
            "OTEL_EXPORTER_OTLP_HEADERS": "api-key=secret%20one,x-team=obs",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "x-team=traces,broken",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
            "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
            "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "-4",
        ])
        let headers = Dictionary(uniqueKeysWithValues: (configuration?.headers ?? []).map { ($0.name, $0.value) })
        #expect(headers == ["api-key": "secret one", "x-team": "traces"])
        #expect(configuration?.timeout == .milliseconds(2500))
        #expect(configuration?.compression == .gzip)
        #expect(warnings.count == 2)
    }

    @Test("header values and URLs with credentials never reach a warning")
    func secretsAreNotShown() throws {
        let (configuration, warnings) = read([
            "OTEL_ENDPOINT": "http://c:4318",
            "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%ZZs3cr3t,x-team=obs",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "api-key s3cr3t",
        ])
        #expect(configuration?.headers.map(\.name) == ["x-team"])
        #expect(warnings == [
            "OTEL_EXPORTER_OTLP_HEADERS (value not shown) has an item (number 1) that is not name=value (value percent-encoded); using the other headers",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS (value not shown) has an item (number 1) that is not name=value (value percent-encoded); using the other headers",
        ])
        let (withUser, userWarnings) = read(["OTEL_EXPORTER_OTLP_ENDPOINT": "ftp://admin:s3cr3t@collector:21"])
        #expect(withUser == nil)
        #expect(userWarnings == ["OTEL_EXPORTER_OTLP_ENDPOINT (value not shown) is not an http:// or https:// URL with a valid port; using no OTLP traces export"])
        let (withQuery, queryWarnings) = read(["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://collector:99999/v1/logs?token=s3cr3t"], .logs)
        #expect(withQuery == nil)
        #expect(queryWarnings.count == 1 && queryWarnings[0].hasPrefix("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT (value not shown) "))
        // Without credentials the URL is shown, as any other bad value.
        let (_, plainWarnings) = read(["OTEL_ENDPOINT": "ftp://collector:21"])
        #expect(plainWarnings == ["OTEL_ENDPOINT=ftp://collector:21 is not an http:// or https:// URL with a valid port; using no OTLP traces export"])
        #expect(!(warnings + userWarnings + queryWarnings).contains { $0.contains("s3cr3t") })
    }

    @Test("timeouts and log batching outside their range: a warning and the default")
    func numbersOutOfRange() throws {
        let (configuration, warnings) = read([
            "OTEL_ENDPOINT": "http://c:4318",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
            "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "3600001",
        ])
        #expect(configuration?.timeout == .milliseconds(2500))
        #expect(warnings == ["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT=3600001 is not a whole number of milliseconds from 1 to 3600000; using 2500"])
        var batchWarnings: [String] = []
        let batching = OTLPExporterProvider.batching([
            "OTEL_BLRP_SCHEDULE_DELAY": "3600001", "OTEL_BLRP_MAX_QUEUE_SIZE": "10000001",
            "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE": "0", "OTEL_BLRP_EXPORT_TIMEOUT": "99999999999999999999",
        ], warn: { batchWarnings.append($0) })
        #expect(batching.scheduleDelay == .milliseconds(1000))
        #expect(batching.maxQueueSize == 2048)
        #expect(batching.maxExportBatchSize == 512)
        #expect(batching.exportTimeout == .milliseconds(30000))
        #expect(batchWarnings == [
            "OTEL_BLRP_SCHEDULE_DELAY=3600001 is not a whole number of milliseconds from 0 to 3600000; using 1000",
            "OTEL_BLRP_MAX_QUEUE_SIZE=10000001 is not an integer from 1 to 10000000; using 2048",
            "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE=0 is not an integer from 1 to 10000000; using 512",
            "OTEL_BLRP_EXPORT_TIMEOUT=99999999999999999999 is not a whole number of milliseconds from 1 to 3600000; using 30000",
        ])
    }

    @Test("no endpoint, or one that is not a URL: nil and a warning")
    func unusable() throws {
        let (none, noneWarnings) = read([:])
        #expect(none == nil && noneWarnings.count == 1)
        let (bad, badWarnings) = read(["OTEL_ENDPOINT": "ftp://x:21"])
        #expect(bad == nil && badWarnings.count == 1)
        let (badPort, _) = read(["OTEL_ENDPOINT": "http://x:99999"])
        #expect(badPort == nil)
    }

    @Test("endpoints parse host, IPv6 literal, port and path")
    func endpointParsing() throws {
        let v6 = try #require(OTLPEndpoint("http://[::1]:4317"))
        #expect(v6.host == "::1" && v6.port == 4317 && v6.path == "")
        #expect(v6.description == "http://[::1]:4317")
        let bare = try #require(OTLPEndpoint("tempo:4318/v1/traces"))
        #expect(bare.scheme == "http" && bare.host == "tempo" && bare.port == 4318 && bare.path == "/v1/traces")
    }

    @Test("the provider makes a log exporter only when OTEL_LOGS_EXPORTER lists otlp; console fallback warns")
    func provider() async throws {
        let provider = OTLPExporterProvider()
        var warnings: [String] = []
        let off = TelemetryConfiguration.fromEnvironment(["OTEL_ENDPOINT": "http://127.0.0.1:4318"])
        #expect(provider.makeLogExporter(off, warn: { warnings.append($0) }) == nil)
        let on = TelemetryConfiguration.fromEnvironment(["OTEL_ENDPOINT": "http://127.0.0.1:4318", "OTEL_LOGS_EXPORTER": "console,otlp", "OTEL_BLRP_MAX_QUEUE_SIZE": "10"])
        let exporter = try #require(provider.makeLogExporter(on, warn: { warnings.append($0) }) as? OTLPLogRecordExporter)
        #expect(exporter.batching.maxQueueSize == 10)
        #expect(exporter.configuration.endpoint.description == "http://127.0.0.1:4318/v1/logs")
        await exporter.shutdown()
        let spans = try #require(provider.makeSpanExporter(on, warn: { warnings.append($0) }) as? OTLPSpanExporter)
        #expect(spans.configuration.endpoint.description == "http://127.0.0.1:4318/v1/traces")
        await spans.shutdown()
        #expect(warnings.isEmpty)
        // Telemetry without an endpoint: console, with the warning Telemetry itself writes.
        let telemetry = Telemetry.make(.fromEnvironment(["TELEMETRY_ENABLED": "true", "OTEL_EXPORTER": "otlp", "LOG_LEVEL": "critical"]), exporters: provider)
        #expect(telemetry.configuration.exporter == .console)
        #expect(telemetry.configuration.warnings.contains { $0.contains("OTEL_ENDPOINT") })
        await telemetry.shutdown()
    }

    @Test("retry delays grow exponentially with jitter and stay under the cap")
    func retryPolicy() {
        let policy = OTLPRetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1), multiplier: 2)
        #expect(policy.delay(afterAttempt: 1, random: 1) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 3, random: 1) == .milliseconds(400))
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == .milliseconds(200))
        #expect(policy.delay(afterAttempt: 10, random: 1) == .seconds(1))
        for attempt in 1...6 {
            let delay = policy.delay(afterAttempt: attempt)
            #expect(delay > .zero && delay <= .seconds(1))
        }
    }
}
