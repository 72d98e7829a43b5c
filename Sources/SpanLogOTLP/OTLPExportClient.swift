import SpanLog
import Synchronization

/// Sends encoded requests of one signal through a transport, with retries (backoff, jitter,
/// `Retry-After`) inside the configured timeout, counts what happened, and reports failures at
/// most once per report interval.
///
/// ```swift
/// let client = OTLPExportClient(configuration: configuration, signal: .traces, reporter: { print($0) })
/// try await client.export(body, items: spans.count)
/// ```
final class OTLPExportClient: Sendable {
    /// An export that did not reach the collector.
    struct ExportFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { self.reason }
    }

    private struct State {
        var statistics = OTLPExportStatistics()
        var reported = OTLPExportStatistics()
        var lastReport: ContinuousClock.Instant?
        /// Why the most recent ignored retry delay was unusable.
        var lastIgnoredRetryDelay: String?
    }

    let configuration: OTLPExporterConfiguration
    let signal: OTLPSignal
    private let transport: any OTLPTransport
    private let reporter: @Sendable (String) -> Void
    private let state = Mutex(State())

    init(configuration: OTLPExporterConfiguration, signal: OTLPSignal, transport: any OTLPTransport, reporter: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.signal = signal
        self.transport = transport
        self.reporter = reporter
    }

    /// Makes the transport the configuration asks for.
    static func makeTransport(_ configuration: OTLPExporterConfiguration) throws -> any OTLPTransport {
        switch configuration.protocol {
        case .httpProtobuf, .httpJSON:
            return OTLPHTTPTransport(configuration: configuration)
        case .grpc:
            #if OTLPGRPC
            return try OTLPGRPCTransport(configuration: configuration)
            #else
            throw ExportFailure(reason: "this build has no gRPC transport (package trait OTLPGRPC is off)")
            #endif
        }
    }

    var statistics: OTLPExportStatistics { self.state.withLock { $0.statistics } }

    /// Counts items dropped before they reached the client (a full queue).
    func countDropped(_ items: Int) {
        self.state.withLock { $0.statistics.droppedItems += UInt64(items) }
        self.reportIfDue()
    }

    /// Delivers `body`, holding `items` spans or records; throws when it could not.
    func export(_ body: [UInt8], items: Int) async throws {
        let start = ContinuousClock.now
        let deadline = start + self.configuration.timeout
        var attempt = 0
        var failure: String
        while true {
            attempt += 1
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                failure = "timed out after \(attempt - 1) attempts"
                break
            }
            let result = await self.transport.send(body, signal: self.signal, timeout: remaining)
            if case .success = result {
                self.state.withLock {
                    $0.statistics.exportedBatches += 1
                    $0.statistics.exportedItems += UInt64(items)
                }
                self.reportIfDue()
                return
            }
            guard case .retryable(let reason, let retryAfter) = result else {
                if case .permanent(let reason) = result { failure = reason } else { failure = "unknown" }
                break
            }
            failure = reason
            if case .unusable(let problem) = retryAfter {
                self.state.withLock {
                    $0.statistics.ignoredRetryDelays += 1
                    $0.lastIgnoredRetryDelay = problem
                }
                self.reportIfDue()
            }
            guard attempt < self.configuration.retry.maxAttempts, !Task.isCancelled else { break }
            let delay = retryAfter?.duration ?? self.configuration.retry.delay(afterAttempt: attempt)
            guard ContinuousClock.now + delay < deadline else {
                failure += retryAfter?.duration != nil ? " (Retry-After \(delay) is past the export timeout)" : ""
                break
            }
            self.state.withLock { $0.statistics.retries += 1 }
            do {
                try await Task.sleep(for: delay)
            } catch {
                failure += " (cancelled while waiting to retry)"
                break
            }
        }
        let reason = "\(self.signal.rawValue) export to \(self.configuration.endpoint) (\(self.configuration.protocol.rawValue)) failed: \(failure)"
        self.state.withLock {
            $0.statistics.failedBatches += 1
            $0.statistics.failedItems += UInt64(items)
            $0.statistics.lastError = reason
        }
        self.reportIfDue()
        throw ExportFailure(reason: reason)
    }

    /// One line about failures and drops since the last report, at most once per interval
    /// (the first failure is reported at once).
    func reportIfDue(force: Bool = false) {
        let now = ContinuousClock.now
        let message: String? = self.state.withLock { state in
            let current = state.statistics
            let failed = current.failedItems - state.reported.failedItems
            let failedBatches = current.failedBatches - state.reported.failedBatches
            let dropped = current.droppedItems - state.reported.droppedItems
            let ignoredDelays = current.ignoredRetryDelays - state.reported.ignoredRetryDelays
            guard failed > 0 || dropped > 0 || ignoredDelays > 0 else { return nil }
            if !force, let last = state.lastReport, now - last < self.configuration.reportInterval { return nil }
            state.reported = current
            state.lastReport = now
            let noun = self.signal.itemNoun
            var line = "OTLP \(self.signal.rawValue) export: \(failed) \(noun) in \(failedBatches) batches failed"
            if dropped > 0 { line += ", \(dropped) \(noun) dropped (queue full)" }
            if ignoredDelays > 0 {
                line += ", \(ignoredDelays) retry delays from the collector ignored"
                if let problem = state.lastIgnoredRetryDelay { line += " (last: \(problem))" }
            }
            line += " since the last report; \(current.exportedItems) exported, \(current.retries) retries in all"
            if let last = current.lastError { line += "; last error: \(last)" }
            return line
        }
        if let message { self.reporter(message) }
    }

    /// Reports what is unreported and closes the transport.
    func shutdown() async {
        self.reportIfDue(force: true)
        await self.transport.shutdown()
    }
}
