import SpanLog
import Synchronization

/// Sends encoded requests of one signal through a transport, with retries (backoff, jitter,
/// `Retry-After`) inside the configured timeout, fresh headers from the configuration's
/// ``OTLPHeaderProvider`` (fetched before the first export, and again after the collector
/// refused the credentials, with that request sent exactly once more), reads each reply's
/// `partial_success`, counts what happened, and reports at most once per report interval.
///
/// ```swift
/// let client = OTLPExportClient(configuration: configuration, signal: .traces, transport: transport, reporter: { print($0) })
/// try await client.export(body, items: spans.count)
/// ```
final class OTLPExportClient: Sendable {
    /// An export that did not reach the collector.
    struct ExportFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { self.reason }
    }

    typealias Headers = [(name: String, value: String)]

    private struct State {
        var statistics = OTLPExportStatistics()
        var reported = OTLPExportStatistics()
        var lastReport: ContinuousClock.Instant?
        /// Why the most recent ignored retry delay was unusable.
        var lastIgnoredRetryDelay: String?
        /// The header provider's last headers; `nil` until it first answered.
        var providedHeaders: Headers?
        /// Counts the header provider's answers, so that two exports refused at once ask it once.
        var headerGeneration = 0
        /// Why the header provider's most recent call failed.
        var lastHeaderProviderFailure: String?
        /// Collector messages in partial successes (warnings with nothing rejected included).
        var collectorMessages: UInt64 = 0
        var reportedCollectorMessages: UInt64 = 0
        /// Why the most recent unreadable reply could not be read.
        var lastUnreadableReply: String?
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
        self.reportTLSProblems()
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

    /// The TLS files of a configuration built in code, checked as the environment's are (those
    /// were checked, and their problems named, when they were read): one line per problem.
    private func reportTLSProblems() {
        let tls = self.configuration.tls
        guard !tls.isEmpty else { return }
        let prefix = "OTLP \(self.signal.rawValue) export: "
        guard self.configuration.endpoint.usesTLS else {
            self.reporter(prefix + "the TLS files of the configuration are not used: \(self.configuration.endpoint) is not an https endpoint")
            return
        }
        for problem in OTLPTLSMaterial.load(tls).1 {
            let name: String
            switch problem.setting {
            case .certificate: name = "tls.certificateFile"
            case .clientCertificate: name = "tls.clientCertificateFile"
            case .clientKey: name = "tls.clientKeyFile"
            }
            self.reporter(prefix + EnvironmentReader.warning(name, value: problem.path, problem.problem, using: problem.fallback))
        }
    }

    var statistics: OTLPExportStatistics { self.state.withLock { $0.statistics } }

    /// Counts items dropped before they reached the client (a full queue).
    func countDropped(_ items: Int) {
        self.state.withLock { $0.statistics.droppedItems += UInt64(items) }
        self.reportIfDue()
    }

    /// Delivers `body`, holding `items` spans, log records or data points; throws when it could not.
    func export(_ body: [UInt8], items: Int) async throws {
        let start = ContinuousClock.now
        let deadline = start + self.configuration.timeout
        var (headers, generation) = await self.headers(deadline: deadline, refusedGeneration: nil)
        var attempt = 0
        var authenticationRetried = false
        var failure: String
        while true {
            attempt += 1
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                failure = "timed out after \(attempt - 1) attempts"
                break
            }
            let result = await self.transport.send(body, signal: self.signal, headers: headers, timeout: remaining)
            switch result {
            case .success(let reply):
                self.countSuccess(reply, items: items)
                return
            case .permanent(let reason):
                failure = reason
            case .unauthenticated(let reason):
                failure = reason
                // One more attempt with fresh headers, once per export, outside the retry budget.
                guard self.configuration.headerProvider != nil, !authenticationRetried, !Task.isCancelled else { break }
                authenticationRetried = true
                let refreshed = await self.headers(deadline: deadline, refusedGeneration: generation)
                guard refreshed.generation != generation else {
                    failure += "; no fresh headers to try again with (\(self.state.withLock { $0.lastHeaderProviderFailure } ?? "the header provider gave none"))"
                    break
                }
                (headers, generation) = refreshed
                self.state.withLock { $0.statistics.retries += 1 }
                attempt -= 1
                continue
            case .retryable(let reason, let retryAfter):
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
                continue
            }
            break
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

    /// Counts an accepted request and what its reply's `partial_success` says.
    private func countSuccess(_ reply: OTLPReply, items: Int) {
        let outcome = OTLPPartialSuccess.read(reply, signal: self.signal)
        self.state.withLock { state in
            var rejected: UInt64 = 0
            switch outcome {
            case .none:
                break
            case .partial(let partial):
                rejected = min(UInt64(clamping: max(partial.rejected, 0)), UInt64(items))
                state.statistics.rejectedItems += rejected
                if !partial.message.isEmpty { state.statistics.lastRejectionMessage = partial.message }
                state.collectorMessages += 1
            case .unreadable(let why):
                state.statistics.unreadableReplies += 1
                state.lastUnreadableReply = why
            }
            state.statistics.exportedBatches += 1
            state.statistics.exportedItems += UInt64(items) - rejected
        }
        self.reportIfDue()
    }

    /// The headers to send: the static ones with the header provider's over them, name by name.
    /// The provider is asked when it never answered yet, or when a request sent with headers of
    /// `refusedGeneration` was refused and no newer headers came since; each call is bounded by
    /// `deadline`. A failed call is counted and the last good headers are kept.
    private func headers(deadline: ContinuousClock.Instant, refusedGeneration: Int?) async -> (headers: Headers, generation: Int) {
        guard let provider = self.configuration.headerProvider else { return (self.configuration.headers, 0) }
        let known = self.state.withLock { ($0.providedHeaders, $0.headerGeneration) }
        let mustAsk = known.0 == nil || (refusedGeneration != nil && refusedGeneration == known.1)
        guard mustAsk else { return (Self.merged(self.configuration.headers, known.0 ?? []), known.1) }
        let remaining = deadline - ContinuousClock.now
        let answer = await HeaderProviderCall.run(provider, timeout: remaining)
        let result: (Headers?, Int) = self.state.withLock { state in
            state.statistics.headerRefreshes += 1
            switch answer {
            case .success(let fresh):
                state.providedHeaders = fresh
                state.headerGeneration += 1
            case .failure(let why):
                state.statistics.headerRefreshFailures += 1
                state.lastHeaderProviderFailure = why
            }
            return (state.providedHeaders, state.headerGeneration)
        }
        if case .failure = answer { self.reportIfDue() }
        return (Self.merged(self.configuration.headers, result.0 ?? []), result.1)
    }

    /// `base` with `overrides` replacing same-named headers (names compared without case).
    static func merged(_ base: Headers, _ overrides: Headers) -> Headers {
        guard !overrides.isEmpty else { return base }
        let names = Set(overrides.map { $0.name.lowercased() })
        return base.filter { !names.contains($0.name.lowercased()) } + overrides
    }

    /// One line about failures, drops, rejected items and other trouble since the last report,
    /// at most once per interval (the first is reported at once).
    func reportIfDue(force: Bool = false) {
        let now = ContinuousClock.now
        let message: String? = self.state.withLock { state in
            let current = state.statistics
            let reported = state.reported
            let failed = current.failedItems - reported.failedItems
            let failedBatches = current.failedBatches - reported.failedBatches
            let dropped = current.droppedItems - reported.droppedItems
            let ignoredDelays = current.ignoredRetryDelays - reported.ignoredRetryDelays
            let rejected = current.rejectedItems - reported.rejectedItems
            let collectorMessages = state.collectorMessages - state.reportedCollectorMessages
            let providerFailures = current.headerRefreshFailures - reported.headerRefreshFailures
            let unreadable = current.unreadableReplies - reported.unreadableReplies
            guard failed > 0 || dropped > 0 || ignoredDelays > 0 || collectorMessages > 0 || providerFailures > 0 || unreadable > 0
            else { return nil }
            if !force, let last = state.lastReport, now - last < self.configuration.reportInterval { return nil }
            state.reported = current
            state.reportedCollectorMessages = state.collectorMessages
            state.lastReport = now
            let noun = self.signal.itemNoun
            var parts: [String] = []
            if failed > 0 || dropped > 0 || ignoredDelays > 0 { parts.append("\(failed) \(noun) in \(failedBatches) batches failed") }
            if dropped > 0 { parts.append("\(dropped) \(noun) dropped (queue full)") }
            if ignoredDelays > 0 {
                parts.append("\(ignoredDelays) retry delays from the collector ignored" + (state.lastIgnoredRetryDelay.map { " (last: \($0))" } ?? ""))
            }
            if collectorMessages > 0 {
                let said = current.lastRejectionMessage.map { " (collector's last message: \"\($0)\")" } ?? ""
                parts.append("\(rejected) \(noun) rejected by the collector in accepted requests\(said)")
            }
            if providerFailures > 0 {
                parts.append("\(providerFailures) header provider calls failed" + (state.lastHeaderProviderFailure.map { " (last: \($0))" } ?? ""))
            }
            if unreadable > 0 {
                parts.append("\(unreadable) replies not readable as export responses" + (state.lastUnreadableReply.map { " (last: \($0))" } ?? ""))
            }
            var line = "OTLP \(self.signal.rawValue) export: " + parts.joined(separator: ", ")
            line += " since the last report; \(current.exportedItems) exported, \(current.retries) retries in all"
            if failed > 0 || dropped > 0 || ignoredDelays > 0, let last = current.lastError { line += "; last error: \(last)" }
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
