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
    let resource: Resource
    let logPipeline: LogPipeline?
    let logSpans: SpanLogging
    let tail: TailSampler?
    let processor: BatchSpanProcessor?

    init(resource: Resource, logPipeline: LogPipeline?, logSpans: SpanLogging, tail: TailSampler?, processor: BatchSpanProcessor?) {
        self.resource = resource
        self.logPipeline = logPipeline
        self.logSpans = logPipeline == nil ? .none : logSpans
        self.tail = processor == nil ? nil : tail
        self.processor = processor
    }

    /// Whether unsampled spans of locally rooted traces must be recorded.
    var recordsUnsampled: Bool { self.tail != nil || self.logSpans == .all }

    func spanEnded(_ record: SpanRecord, decision: SamplingDecision, isLocalRoot: Bool, tailEligible: Bool) {
        switch decision {
        case .drop:
            return
        case .recordAndSample:
            if self.logSpans != .none { self.logPipeline?.emit(span: record) }
            self.processor?.enqueue(record)
        case .recordOnly:
            if self.logSpans == .all { self.logPipeline?.emit(span: record) }
            guard tailEligible, let tail = self.tail, let processor = self.processor else { return }
            for kept in tail.offer(record, isLocalRoot: isLocalRoot) {
                if self.logSpans == .sampled { self.logPipeline?.emit(span: kept) }
                processor.enqueue(kept)
            }
        }
    }
}
