import Synchronization

/// Collects a ``SpanLogMetricsFactory`` every ``Configuration/exportInterval``
/// (`OTEL_METRIC_EXPORT_INTERVAL`) and hands the snapshot to each exporter, every export bounded
/// by ``Configuration/exportTimeout`` (`OTEL_METRIC_EXPORT_TIMEOUT`). Exports never overlap: the
/// loop, ``forceFlush()`` and ``shutdown(timeout:)`` take turns. Each exporter gets its
/// ``MetricExporter/preferredTemporality``, cumulative when it has none.
///
/// ```swift
/// let factory = SpanLogMetricsFactory()
/// let reader = PeriodicMetricReader(factory: factory, exporters: [ConsoleMetricExporter()], resource: SpanLogResource(serviceName: "checkout"))
/// MetricsSystem.bootstrap(factory)
/// // …
/// await reader.shutdown(timeout: .seconds(5))   // one last export
/// ```
public final class PeriodicMetricReader: Sendable {
    /// The reader's timing.
    ///
    /// ```swift
    /// let configuration = PeriodicMetricReader.Configuration(exportInterval: .seconds(10))
    /// ```
    public struct Configuration: Sendable {
        /// Time between two collections (default 60 s).
        public var exportInterval: Duration
        /// The longest one export may take (default 30 s).
        public var exportTimeout: Duration

        /// Creates a configuration.
        public init(exportInterval: Duration = .seconds(60), exportTimeout: Duration = .seconds(30)) {
            self.exportInterval = exportInterval
            self.exportTimeout = exportTimeout
        }
    }

    /// What the reader has done so far.
    ///
    /// ```swift
    /// print(reader.statistics.failedExports)
    /// ```
    public struct Statistics: Sendable, Hashable {
        /// Exports that returned in time.
        public var exports: UInt64 = 0
        /// Exports that threw.
        public var failedExports: UInt64 = 0
        /// Exports cut off by the export timeout (or shutdown's deadline).
        public var timedOutExports: UInt64 = 0
    }

    /// The timing.
    public let configuration: Configuration
    /// The backend it collects.
    public let factory: SpanLogMetricsFactory
    private let exporters: [any MetricExporter]
    private let resource: SpanLogResource
    private let gate = ExportGate()
    private let counts = Mutex(Statistics())
    private let isShutDown = Atomic<Bool>(false)
    private let loop = Mutex<Task<Void, Never>?>(nil)

    /// Creates the reader and starts its loop.
    public init(factory: SpanLogMetricsFactory, exporters: [any MetricExporter], resource: SpanLogResource, configuration: Configuration = Configuration()) {
        self.factory = factory
        self.exporters = exporters
        self.resource = resource
        self.configuration = configuration
        let interval = configuration.exportInterval
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let reader = self else { return }
                await reader.collectAndExport(within: reader.configuration.exportTimeout)
            }
        }
        self.loop.withLock { $0 = task }
    }

    deinit {
        self.loop.withLock { $0?.cancel() }
    }

    /// What the reader has done so far.
    public var statistics: Statistics {
        self.counts.withLock { $0 }
    }

    /// Collects and exports now, waiting for an export in progress first; `true` when every
    /// exporter took the snapshot in time. `false` after shutdown.
    @discardableResult
    public func forceFlush() async -> Bool {
        guard !self.isShutDown.load(ordering: .relaxed) else { return false }
        return await self.collectAndExport(within: self.configuration.exportTimeout)
    }

    /// Stops the loop, exports one last time and shuts the exporters down, all within
    /// `timeout`; `true` when everything finished in time. Later calls return `false`.
    @discardableResult
    public func shutdown(timeout: Duration) async -> Bool {
        guard !self.isShutDown.exchange(true, ordering: .relaxed) else { return false }
        self.loop.withLock { $0?.cancel() }
        let deadline = ContinuousClock.now.advanced(by: max(.zero, timeout))
        // Waiting for an export in progress counts against the deadline too.
        let exportTimeout = min(self.configuration.exportTimeout, max(.zero, timeout))
        let finalExport = await DeadlineRace.run(within: max(.zero, timeout)) {
            guard await self.collectAndExport(within: exportTimeout) else { throw ExportFailed() }
        }
        let exported = finalExport == .finished
        let exporters = self.exporters
        let remaining = max(.zero, ContinuousClock.now.duration(to: deadline))
        let closed = await DeadlineRace.run(within: remaining) {
            await withTaskGroup(of: Void.self) { group in
                for exporter in exporters { group.addTask { await exporter.shutdown(timeout: remaining) } }
            }
        }
        return exported && closed == .finished
    }

    /// One collection per temporality the exporters want, then every export at once, each
    /// bounded by `timeout` (waiting for the previous export counts against nothing: it is
    /// itself bounded).
    private struct ExportFailed: Error {}

    @discardableResult
    private func collectAndExport(within timeout: Duration) async -> Bool {
        guard !self.exporters.isEmpty else { return true }
        await self.gate.enter()
        defer { self.gate.leave() }
        var snapshots: [MetricTemporality: MetricsSnapshot] = [:]
        for exporter in self.exporters {
            let temporality = exporter.preferredTemporality ?? .cumulative
            if snapshots[temporality] == nil {
                snapshots[temporality] = MetricsSnapshot(resource: self.resource, metrics: self.factory.collect(temporality: temporality))
            }
        }
        let outcomes = await withTaskGroup(of: DeadlineRace.Outcome.self) { group in
            for exporter in self.exporters {
                guard let snapshot = snapshots[exporter.preferredTemporality ?? .cumulative], !snapshot.metrics.isEmpty else { continue }
                group.addTask { await DeadlineRace.run(within: timeout) { try await exporter.export(snapshot) } }
            }
            var outcomes: [DeadlineRace.Outcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        self.counts.withLock { counts in
            for outcome in outcomes {
                switch outcome {
                case .finished: counts.exports += 1
                case .failed: counts.failedExports += 1
                case .timedOut: counts.timedOutExports += 1
                }
            }
        }
        return outcomes.allSatisfy { $0 == .finished }
    }
}
