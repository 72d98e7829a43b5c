public import SpanLog
import Synchronization

/// Exports span batches to an OpenTelemetry collector over OTLP/HTTP (protobuf or JSON) or
/// OTLP/gRPC. Hand it to the tracer's batch span processor, which bounds the queue and calls
/// ``export(_:)`` from its own task; this exporter retries transient failures inside its
/// timeout and reports failures (rate-limited) through `reporter`.
///
/// ```swift
/// let exporter = try OTLPSpanExporter(
///     configuration: OTLPExporterConfiguration(endpoint: OTLPEndpoint("http://127.0.0.1:4318/v1/traces")!)
/// )
/// let tracer = SpanLogTracer(configuration: .init(resource: SpanLogResource(serviceName: "api")), logPipeline: pipeline, exporter: exporter)
/// ```
public final class OTLPSpanExporter: SpanExporter {
    private let client: OTLPExportClient
    private let encoder: Mutex<OTLPRequestEncoder>

    /// Creates the exporter and its transport (no connection is made until the first export).
    ///
    /// - Parameter reporter: receives one line about failures at most every
    ///   `configuration.reportInterval`; by default a warning on the `spanlog.otlp` logger.
    public init(configuration: OTLPExporterConfiguration, reporter: @escaping @Sendable (String) -> Void = OTLPExporterProvider.logWarning) throws {
        let transport = try OTLPExportClient.makeTransport(configuration)
        self.client = OTLPExportClient(configuration: configuration, signal: .traces, transport: transport, reporter: reporter)
        self.encoder = Mutex(OTLPRequestEncoder(format: configuration.protocol == .httpJSON ? .json : .protobuf))
    }

    /// The configuration in use.
    public var configuration: OTLPExporterConfiguration { self.client.configuration }

    /// Counters since the exporter started.
    public var statistics: OTLPExportStatistics { self.client.statistics }

    /// Encodes `batch` as one `ExportTraceServiceRequest` and sends it; throws when it could not
    /// be delivered within the timeout.
    public func export(_ batch: [SpanRecord]) async throws {
        guard !batch.isEmpty else { return }
        let body = self.encoder.withLock { $0.encode(batch) }
        try await self.client.export(body, items: batch.count)
    }

    /// Nothing is buffered here: the batch span processor holds the queue.
    public func forceFlush() async {}

    /// Reports unreported failures and closes connections.
    public func shutdown() async {
        await self.client.shutdown()
    }
}
