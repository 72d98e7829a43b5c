/// Which recorded spans are also written to the log pipeline as span records (`LOG_SPANS`).
///
/// ```swift
/// let configuration = SpanLogTracer.Configuration(logSpans: .all)
/// ```
public enum SpanLogging: String, Sendable, Hashable, CaseIterable {
    /// Every recorded span, sampled or not: local files hold full-fidelity traces (the default).
    case all
    /// Only spans that are exported (head-sampled, or kept by the tail rule).
    case sampled
    /// No span records in the log.
    case none
}

/// Where a finished span goes: the log pipeline (as a span record), the tail sampler, the batch
/// processor. Runs on the thread that ends the span and never waits.
final class SpanPipeline: Sendable {
    let resource: SpanLogResource
    let logPipeline: LogPipeline?
    let logSpans: SpanLogging
    let tail: TailSampler?
    let processor: BatchSpanProcessor?
    let limits: SpanLimits
    /// The rules that redact span attributes, event attributes and error messages.
    let redaction: RedactionFilter?

    init(
        resource: SpanLogResource,
        logPipeline: LogPipeline?,
        logSpans: SpanLogging,
        tail: TailSampler?,
        processor: BatchSpanProcessor?,
        limits: SpanLimits = SpanLimits(),
        redaction: RedactionFilter? = RedactionFilter()
    ) {
        self.limits = limits
        self.redaction = redaction
        self.resource = resource
        self.logPipeline = logPipeline
        self.logSpans = logPipeline == nil ? .none : logSpans
        self.tail = processor == nil ? nil : tail
        self.processor = processor
    }

    /// Whether unsampled spans of locally rooted traces must be recorded.
    var recordsUnsampled: Bool { self.tail != nil || self.logSpans == .all }

    /// What decides a finished span's way, known before its record is built.
    struct Ending {
        var traceID: TraceID
        var decision: SamplingDecision
        var isLocalRoot: Bool
        var tailEligible: Bool
        var isError: Bool
        var durationNanoseconds: UInt64
    }

    /// Sends a finished span on. The record is built only when something takes it: a recorded,
    /// unsampled local root whose trace the tail rule discards (the common case at 2 %) and that
    /// no log line needs costs one look at the tail sampler and nothing else.
    func spanEnded(_ ending: Ending, record makeRecord: () -> SpanRecord) {
        switch ending.decision {
        case .drop:
            return
        case .recordAndSample:
            let record = makeRecord()
            if self.logSpans != .none { self.logPipeline?.emit(span: record) }
            self.processor?.enqueue(record)
        case .recordOnly:
            let logsAll = self.logSpans == .all
            guard ending.tailEligible, let tail = self.tail, let processor = self.processor else {
                if logsAll { self.logPipeline?.emit(span: makeRecord()) }
                return
            }
            // A local root settles its trace first: a discarded one needs a record only for the log.
            let waiting = ending.isLocalRoot
                ? tail.rootEnded(ending.traceID, isError: ending.isError, durationNanoseconds: ending.durationNanoseconds)
                : []
            guard waiting != nil || logsAll else { return }
            let record = makeRecord()
            if logsAll { self.logPipeline?.emit(span: record) }
            let exported = ending.isLocalRoot ? waiting.map { $0 + [TailSampler.sampled(record)] } ?? [] : tail.offer(record)
            for span in exported {
                if self.logSpans == .sampled { self.logPipeline?.emit(span: span) }
                processor.enqueue(span)
            }
        }
    }
}
