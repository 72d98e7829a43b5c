import Foundation
import SpanLog
import SpanLogOTLP
import Synchronization
import Testing

/// TLS and mTLS to a receiver that serves TLS with certificates the test makes: the CA
/// variable, the client pair, and every kind of bad file — one warning naming the variable and
/// the file, then the fallback, which is still TLS.
@Suite("OTLP TLS and mTLS", .timeLimit(.minutes(10)))
struct OTLPTLSTests {
    static var transports: [OTLPProtocol] {
        #if OTLPGRPC
        [.httpProtobuf, .grpc]
        #else
        [.httpProtobuf]
        #endif
    }

    /// The environment of an exporter of spans to `receiver` over TLS, plus `extra`. An export
    /// expected to fail waits for `failingTimeout` (gRPC waits for a connection that long);
    /// one expected to succeed has 10 s, for a busy machine.
    static func environment(_ receiver: ReceiverProcess, _ protocolChoice: OTLPProtocol, _ extra: [String: String], expectFailure: Bool = false) -> [String: String] {
        var environment = protocolChoice == .grpc
            ? ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://127.0.0.1:\(receiver.grpcPort)", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]
            : ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://127.0.0.1:\(receiver.httpPort)/v1/traces", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"]
        environment["OTEL_EXPORTER_OTLP_TIMEOUT"] = expectFailure ? "3000" : "10000"
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Exports one span with the configuration `environment` gives; the warnings, whether the
    /// receiver got it, and the failure's text.
    static func export(_ environment: [String: String], to receiver: ReceiverProcess) async throws -> (warnings: [String], delivered: Bool, failure: String?) {
        let warnings = Mutex<[String]>([])
        guard var configuration = OTLPExporterConfiguration.fromEnvironment(environment, signal: .traces, warn: { line in warnings.withLock { $0.append(line) } }) else {
            Issue.record("no configuration; warnings: \(warnings.withLock { $0 })")
            return (warnings.withLock { $0 }, false, nil)
        }
        configuration.retry = .none
        let before = decodedSpans(receiver.requests()).count
        let reports = ReportBox()
        let exporter = try OTLPSpanExporter(configuration: configuration, reporter: { reports.append($0) })
        var failure: String?
        do {
            try await exporter.export([sampleSpan()])
        } catch {
            failure = "\(error)"
        }
        await exporter.shutdown()
        // Problems found again when the exporter was made would be reported: none may be.
        #expect(!reports.all.contains { $0.contains("TLS file") || $0.contains("tls.") }, "reports: \(reports.all)")
        return (warnings.withLock { $0 }, decodedSpans(receiver.requests()).count > before, failure)
    }

    @Test("export succeeds with OTEL_EXPORTER_OTLP_CERTIFICATE naming the CA", arguments: Self.transports)
    func succeedsWithCA(_ protocolChoice: OTLPProtocol) async throws {
        guard let certificates = try await TestCertificates.shared() else { return }
        guard let receiver = try await ReceiverProcess.start(.init(tlsCertificate: certificates.server, tlsKey: certificates.serverKey)) else { return }
        defer { receiver.stop() }
        let result = try await Self.export(Self.environment(receiver, protocolChoice, ["OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.ca]), to: receiver)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(result.failure == nil)
        #expect(result.delivered)
    }

    @Test("the signal's own variable wins: OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE over OTEL_EXPORTER_OTLP_CERTIFICATE", arguments: Self.transports)
    func signalVariableWins(_ protocolChoice: OTLPProtocol) async throws {
        guard let certificates = try await TestCertificates.shared() else { return }
        guard let receiver = try await ReceiverProcess.start(.init(tlsCertificate: certificates.server, tlsKey: certificates.serverKey)) else { return }
        defer { receiver.stop() }
        let result = try await Self.export(Self.environment(receiver, protocolChoice, [
            "OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.otherCA,
            "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE": certificates.ca,
        ]), to: receiver)
        #expect(result.failure == nil)
        #expect(result.delivered)
    }

    @Test("without the CA the export fails, and the failure says the certificate failed verification", arguments: Self.transports)
    func failsWithoutCA(_ protocolChoice: OTLPProtocol) async throws {
        guard let certificates = try await TestCertificates.shared() else { return }
        guard let receiver = try await ReceiverProcess.start(.init(tlsCertificate: certificates.server, tlsKey: certificates.serverKey)) else { return }
        defer { receiver.stop() }
        let result = try await Self.export(Self.environment(receiver, protocolChoice, [:], expectFailure: true), to: receiver)
        #expect(!result.delivered)
        let failure = try #require(result.failure)
        #expect(failure.contains("certificate failed verification"), "\(failure)")
    }

    @Test("mTLS: the client pair is accepted; without it the collector refuses", arguments: Self.transports)
    func mutualTLS(_ protocolChoice: OTLPProtocol) async throws {
        guard let certificates = try await TestCertificates.shared() else { return }
        guard let receiver = try await ReceiverProcess.start(.init(tlsCertificate: certificates.server, tlsKey: certificates.serverKey, tlsClientCA: certificates.ca)) else { return }
        defer { receiver.stop() }
        let refused = try await Self.export(
            Self.environment(receiver, protocolChoice, ["OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.ca], expectFailure: true), to: receiver)
        #expect(!refused.delivered)
        let failure = try #require(refused.failure)
        #expect(failure.contains("TLS") || failure.contains("SSL") || failure.contains("unavailable") || failure.contains("deadline"), "\(failure)")

        let accepted = try await Self.export(Self.environment(receiver, protocolChoice, [
            "OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.ca,
            "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": certificates.client,
            "OTEL_EXPORTER_OTLP_CLIENT_KEY": certificates.clientKey,
        ]), to: receiver)
        #expect(accepted.warnings.isEmpty, "\(accepted.warnings)")
        #expect(accepted.failure == nil)
        #expect(accepted.delivered)
    }

    /// A bad setting: the variables, the variable and file the one warning names, and whether
    /// the fallback still reaches a TLS receiver that does not ask for a client certificate
    /// (a CA fallback, the system store, cannot verify the test CA: still TLS, but refused).
    struct BadFile: CustomTestStringConvertible, Sendable {
        let label: String
        let variables: @Sendable (TestCertificates) -> [String: String]
        let variable: String
        let file: @Sendable (TestCertificates) -> String
        let problem: String
        let delivered: Bool
        var testDescription: String { self.label }
    }

    static let badFiles: [BadFile] = [
        BadFile(label: "CA file missing", variables: { ["OTEL_EXPORTER_OTLP_CERTIFICATE": $0.missing] },
                variable: "OTEL_EXPORTER_OTLP_CERTIFICATE", file: { $0.missing }, problem: "cannot be read", delivered: false),
        BadFile(label: "CA file not PEM", variables: { ["OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE": $0.notPEM] },
                variable: "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", file: { $0.notPEM }, problem: "is not a PEM file", delivered: false),
        BadFile(label: "client certificate without key",
                variables: { ["OTEL_EXPORTER_OTLP_CERTIFICATE": $0.ca, "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": $0.client] },
                variable: "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", file: { $0.client }, problem: "without OTEL_EXPORTER_OTLP_CLIENT_KEY", delivered: true),
        BadFile(label: "client key without certificate",
                variables: { ["OTEL_EXPORTER_OTLP_CERTIFICATE": $0.ca, "OTEL_EXPORTER_OTLP_CLIENT_KEY": $0.clientKey] },
                variable: "OTEL_EXPORTER_OTLP_CLIENT_KEY", file: { $0.clientKey }, problem: "without OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", delivered: true),
        BadFile(label: "client key that does not match",
                variables: { ["OTEL_EXPORTER_OTLP_CERTIFICATE": $0.ca, "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": $0.client, "OTEL_EXPORTER_OTLP_CLIENT_KEY": $0.wrongKey] },
                variable: "OTEL_EXPORTER_OTLP_CLIENT_KEY", file: { $0.wrongKey }, problem: "does not match the client certificate", delivered: true),
        BadFile(label: "client key missing",
                variables: { ["OTEL_EXPORTER_OTLP_CERTIFICATE": $0.ca, "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": $0.client, "OTEL_EXPORTER_OTLP_CLIENT_KEY": $0.missing] },
                variable: "OTEL_EXPORTER_OTLP_CLIENT_KEY", file: { $0.missing }, problem: "cannot be read", delivered: true),
        BadFile(label: "client key encrypted",
                variables: { ["OTEL_EXPORTER_OTLP_CERTIFICATE": $0.ca, "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": $0.client, "OTEL_EXPORTER_OTLP_CLIENT_KEY": $0.encryptedKey] },
                variable: "OTEL_EXPORTER_OTLP_CLIENT_KEY", file: { $0.encryptedKey }, problem: "encrypted", delivered: true),
        BadFile(label: "client certificate not PEM",
                variables: { ["OTEL_EXPORTER_OTLP_CERTIFICATE": $0.ca, "OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE": $0.ca, "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE": $0.notPEM, "OTEL_EXPORTER_OTLP_CLIENT_KEY": $0.clientKey] },
                variable: "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", file: { $0.notPEM }, problem: "is not a PEM file", delivered: true),
    ]

    @Test("a bad TLS file: one warning naming the variable and the file, then the fallback, still TLS", arguments: Self.transports)
    func badFile(_ protocolChoice: OTLPProtocol) async throws {
        guard let certificates = try await TestCertificates.shared() else { return }
        // One receiver for every case: each export is checked by what it adds.
        guard let receiver = try await ReceiverProcess.start(.init(tlsCertificate: certificates.server, tlsKey: certificates.serverKey)) else { return }
        defer { receiver.stop() }
        for bad in Self.badFiles {
            let result = try await Self.export(
                Self.environment(receiver, protocolChoice, bad.variables(certificates), expectFailure: !bad.delivered), to: receiver)
            let file = bad.file(certificates)
            #expect(result.warnings.count == 1, "\(bad.label): \(result.warnings)")
            let warning = try #require(result.warnings.first, "\(bad.label)")
            #expect(warning.hasPrefix("\(bad.variable)=\(file) "), "\(bad.label): \(warning)")
            #expect(warning.contains(bad.problem), "\(bad.label): \(warning)")
            #expect(warning.contains("still TLS"), "\(bad.label): \(warning)")
            #expect(result.delivered == bad.delivered, "\(bad.label): failure: \(result.failure ?? "none")")
            if !bad.delivered {
                // Not plain text: the system trust store does not know the test CA.
                #expect(result.failure?.contains("certificate failed verification") == true, "\(bad.label): \(result.failure ?? "none")")
            }
        }
    }

    @Test("a CA file beside a plain-text endpoint is named in a warning and not used")
    func filesBesidePlainText() {
        var warnings: [String] = []
        let configuration = OTLPExporterConfiguration.fromEnvironment([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
            "OTEL_EXPORTER_OTLP_CERTIFICATE": "/etc/otel/ca.pem",
        ], signal: .traces, warn: { warnings.append($0) })
        #expect(configuration?.tls == OTLPExporterConfiguration.TLS())
        #expect(warnings == ["OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/ca.pem is set, but OTLP traces goes to http://127.0.0.1:4318/v1/traces without TLS; using no TLS files (use an https:// endpoint for TLS)"])
    }

    @Test("OTEL_EXPORTER_OTLP_INSECURE applies to gRPC endpoints without a scheme only; the signal's form wins")
    func insecure() {
        #if OTLPGRPC
        func endpoint(_ environment: [String: String]) -> (String?, [String]) {
            var warnings: [String] = []
            let configuration = OTLPExporterConfiguration.fromEnvironment(environment, signal: .logs, warn: { warnings.append($0) })
            return (configuration?.endpoint.description, warnings)
        }
        #expect(endpoint(["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317"]).0 == "http://collector:4317")
        #expect(endpoint(["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "false"]).0 == "https://collector:4317")
        #expect(endpoint(["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "true"]).0 == "http://collector:4317")
        #expect(endpoint([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "true", "OTEL_EXPORTER_OTLP_LOGS_INSECURE": "false",
        ]).0 == "https://collector:4317")
        // A value that is not a boolean: TLS, with a warning (never plain text by mistake).
        let typo = endpoint(["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "flase"])
        #expect(typo.0 == "https://collector:4317")
        #expect(typo.1 == ["OTEL_EXPORTER_OTLP_INSECURE=flase is not true or false; using false"])
        // A scheme decides; https is never made plain text.
        let https = endpoint(["OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "true"])
        #expect(https.0 == "https://collector:4317")
        #expect(https.1.count == 1 && https.1[0].contains("the https scheme wins"))
        #expect(endpoint(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317", "OTEL_EXPORTER_OTLP_INSECURE": "false"]).0 == "http://collector:4317")
        // OTLP/HTTP ignores it.
        #expect(endpoint(["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318", "OTEL_EXPORTER_OTLP_INSECURE": "false"]).0 == "http://collector:4318/v1/logs")
        #endif
    }

    @Test("gRPC without a scheme and OTEL_EXPORTER_OTLP_INSECURE=false reaches a TLS receiver")
    func insecureFalseIsTLS() async throws {
        #if OTLPGRPC
        guard let certificates = try await TestCertificates.shared() else { return }
        guard let receiver = try await ReceiverProcess.start(.init(tlsCertificate: certificates.server, tlsKey: certificates.serverKey)) else { return }
        defer { receiver.stop() }
        let result = try await Self.export([
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "127.0.0.1:\(receiver.grpcPort)", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
            "OTEL_EXPORTER_OTLP_TRACES_INSECURE": "false", "OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.ca,
        ], to: receiver)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(result.failure == nil)
        #expect(result.delivered)
        #endif
    }

    @Test("a configuration built in code with a bad file: the exporter reports it once, naming the setting and the file")
    func builtInCode() async throws {
        let reports = ReportBox()
        let configuration = OTLPExporterConfiguration(
            endpoint: OTLPEndpoint("https://127.0.0.1:1/v1/traces")!,
            tls: .init(certificateFile: "/nonexistent/ca.pem"))
        let exporter = try OTLPSpanExporter(configuration: configuration, reporter: { reports.append($0) })
        await exporter.shutdown()
        #expect(reports.all.count == 1, "\(reports.all)")
        #expect(reports.all.first?.contains("tls.certificateFile=/nonexistent/ca.pem cannot be read") == true, "\(reports.all)")
        #expect(reports.all.first?.contains("the system trust store (still TLS)") == true)
    }
}
