public import SpanLog
import Synchronization

/// Exports metric snapshots to an OpenTelemetry collector over OTLP/HTTP (protobuf or JSON) or
/// OTLP/gRPC (`OTEL_METRICS_EXPORTER=otlp`). The periodic metric reader calls ``export(_:)`` from
/// its own task; a snapshot with more points than fit one request (``RequestLimits``) is sent as
/// several requests. Transient failures are retried inside the configuration's timeout; failures
/// are counted in ``statistics`` and reported (rate-limited) through `reporter`.
///
/// ```swift
/// let exporter = try OTLPMetricExporter(
///     configuration: OTLPExporterConfiguration(endpoint: OTLPEndpoint("http://127.0.0.1:4318/v1/metrics")!),
///     temporalityPreference: .delta
/// )
/// try await exporter.export(snapshot)
/// ```
public final class OTLPMetricExporter: MetricExporter {
    /// How big one request may get.
    ///
    /// ```swift
    /// let limits = OTLPMetricExporter.RequestLimits(maxDataPoints: 500)
    /// ```
    public struct RequestLimits: Sendable, Hashable {
        /// Data points per request.
        public var maxDataPoints: Int
        /// Estimated bytes per request, before compression (collectors' gRPC default limit is 4 MiB).
        public var maxBytes: Int

        /// 2048 points, 2 MiB.
        public init(maxDataPoints: Int = 2048, maxBytes: Int = 2 << 20) {
            self.maxDataPoints = max(1, maxDataPoints)
            self.maxBytes = max(1024, maxBytes)
        }
    }

    /// `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`.
    public let temporalityPreference: OTLPMetricTemporalityPreference
    /// The request size limits.
    public let limits: RequestLimits
    private let client: OTLPExportClient
    private let encoder: Mutex<OTLPRequestEncoder>
    private let invalidPoints = Atomic<UInt64>(0)

    /// Creates the exporter and its transport (no connection is made until the first export).
    ///
    /// - Parameter reporter: receives one line about failures at most every
    ///   `configuration.reportInterval`; by default a warning on the `spanlog.otlp` logger.
    public init(
        configuration: OTLPExporterConfiguration,
        temporalityPreference: OTLPMetricTemporalityPreference = .cumulative,
        limits: RequestLimits = RequestLimits(),
        reporter: @escaping @Sendable (String) -> Void = OTLPExporterProvider.logWarning
    ) throws {
        let transport = try OTLPExportClient.makeTransport(configuration)
        self.client = OTLPExportClient(configuration: configuration, signal: .metrics, transport: transport, reporter: reporter)
        self.encoder = Mutex(OTLPRequestEncoder(format: configuration.protocol == .httpJSON ? .json : .protobuf))
        self.temporalityPreference = temporalityPreference
        self.limits = limits
        self.reporter = reporter
    }

    private let reporter: @Sendable (String) -> Void

    /// The configuration in use.
    public var configuration: OTLPExporterConfiguration { self.client.configuration }

    /// Counters since the exporter started; items are data points. Points that could not be
    /// encoded (a value of the wrong kind) are counted as failed.
    public var statistics: OTLPExportStatistics {
        var statistics = self.client.statistics
        statistics.failedItems += self.invalidPoints.load(ordering: .relaxed)
        return statistics
    }

    /// Counters and histograms as the preference says: delta for `delta` and `lowmemory`.
    public var preferredTemporality: MetricTemporality? { self.temporalityPreference.temporality }

    /// Sends `snapshot` as one `ExportMetricsServiceRequest`, or several when it exceeds
    /// ``limits``. Every part is attempted; throws the first failure when any part could not be
    /// delivered within the timeout.
    public func export(_ snapshot: MetricsSnapshot) async throws {
        let split = MetricRequestSplitter(maxDataPoints: self.limits.maxDataPoints, maxBytes: self.limits.maxBytes).split(snapshot)
        if split.invalidPoints > 0 {
            self.invalidPoints.add(UInt64(split.invalidPoints), ordering: .relaxed)
            self.reporter("OTLP metrics export: \(split.invalidPoints) data points left out, they cannot be encoded (last: \(split.lastProblem ?? "unknown"))")
        }
        var firstFailure: (any Error)?
        for (part, points) in zip(split.parts, split.pointCounts) {
            let body = self.encoder.withLock { $0.encode(part) }
            do {
                try await self.client.export(body, items: points)
            } catch {
                if firstFailure == nil { firstFailure = error }
            }
        }
        if let firstFailure { throw firstFailure }
    }

    /// Reports unreported failures and closes connections, waiting at most `timeout` (the
    /// closing itself is never cut short: an HTTP client must always be shut down).
    public func shutdown(timeout: Duration) async {
        let client = self.client
        let closing = Task { await client.shutdown() }
        _ = await withTimeout(timeout) { await closing.value }
    }
}
