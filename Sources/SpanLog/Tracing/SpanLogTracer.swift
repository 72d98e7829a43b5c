public import Instrumentation
import Logging
public import Tracing

/// A swift-distributed-tracing `Tracer` that writes W3C ids into the task-local
/// `ServiceContext` (so every log record made inside a span carries them), samples
/// OpenTelemetry's way (parent-based trace-id ratio, 2 % by default) while still keeping errors
/// and slow traces, writes every recorded span to the log pipeline as a span record, and hands
/// sampled spans to an exporter in batches.
///
/// Libraries' instrumentation (`withSpan`, Hummingbird's tracing, …) uses it unchanged once it is
/// bootstrapped; tests and libraries can also call it directly:
///
/// ```swift
/// let tracer = SpanLogTracer(configuration: .init(sampler: ConstantSampler(.recordAndSample)),
///                            logPipeline: pipeline, exporter: ConsoleSpanExporter())
/// tracer.withSpan("job.run") { span in
///     logger.info("working")   // carries this span's trace_id and span_id
/// }
/// ```
public final class SpanLogTracer: Tracer, Sendable {
    public typealias Span = SpanLogSpan

    /// What the tracer does; `TelemetryConfiguration` fills it from the environment.
    public struct Configuration: Sendable {
        /// The service and resource attributes every span record carries.
        public var resource: SpanLogResource
        /// The head sampler (default: parent-based, 2 % of root traces).
        public var sampler: any SpanLogSampler
        /// Which recorded spans are written to the log pipeline.
        public var logSpans: SpanLogging
        /// The tail rule; `nil` exports only head-sampled traces.
        public var tailSampling: TailSampler.Configuration?
        /// Batching for the exporter.
        public var batching: BatchSpanProcessor.Configuration
        /// How many attributes, events and links a span keeps (`OTEL_SPAN_*_LIMIT`).
        public var limits: SpanLimits
        /// The rules that redact span attributes, event attributes and, when they name
        /// `error.message`, error messages, in span records and exports alike; `nil`: none.
        public var redaction: RedactionFilter?

        /// Creates a configuration.
        public init(
            resource: SpanLogResource = SpanLogResource(serviceName: "unknown_service"),
            sampler: any SpanLogSampler = ParentBasedSampler(root: TraceIDRatioSampler(ratio: 0.02)),
            logSpans: SpanLogging = .all,
            tailSampling: TailSampler.Configuration? = TailSampler.Configuration(),
            batching: BatchSpanProcessor.Configuration = BatchSpanProcessor.Configuration(),
            limits: SpanLimits = SpanLimits(),
            redaction: RedactionFilter? = RedactionFilter()
        ) {
            self.resource = resource
            self.sampler = sampler
            self.logSpans = logSpans
            self.tailSampling = tailSampling
            self.batching = batching
            self.limits = limits
            self.redaction = redaction
        }
    }

    /// The configuration in force.
    public let configuration: Configuration
    /// The batch processor, when there is an exporter.
    public let processor: BatchSpanProcessor?
    /// The tail sampler, when there is an exporter and a tail rule.
    public let tailSampler: TailSampler?
    private let pipeline: SpanPipeline
    private let propagator = TraceContextPropagator()

    /// Creates a tracer.
    ///
    /// - Parameters:
    ///   - logPipeline: where span records are written (`configuration.logSpans`), usually the
    ///     same pipeline as the application's log records.
    ///   - exporter: where sampled spans go; `nil` for none.
    public init(configuration: Configuration = Configuration(), logPipeline: LogPipeline? = nil, exporter: (any SpanExporter)? = nil) {
        self.configuration = configuration
        let diagnostics = logPipeline.map { pipeline in
            Logger(label: "spanlog") { SpanLogHandler(label: $0, pipeline: pipeline) }
        }
        self.processor = exporter.map { exporter in
            BatchSpanProcessor(exporter: exporter, configuration: configuration.batching) { message in
                if let diagnostics { diagnostics.warning("\(message)") } else { reportToStandardError(message) }
            }
        }
        self.tailSampler = self.processor == nil ? nil : configuration.tailSampling.map { TailSampler(configuration: $0) }
        self.pipeline = SpanPipeline(
            resource: configuration.resource,
            logPipeline: logPipeline,
            logSpans: configuration.logSpans,
            tail: self.tailSampler,
            processor: self.processor,
            limits: configuration.limits,
            redaction: configuration.redaction
        )
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> SpanLogSpan {
        let parentContext = context()
        let parentHolder = SpanContextEntry.holder(in: parentContext)
        let parent = parentHolder?.spanContext
        let parentStorage = parentHolder as? SpanStorage
        let inheritedTraceID = parent.flatMap { $0.traceID.isValid ? $0.traceID : nil }
        let traceID = inheritedTraceID ?? IDGenerator.traceID()
        let usableParent = parent.flatMap { $0.traceID.isValid && $0.spanID.isValid ? $0 : nil }

        var decision = self.configuration.sampler.shouldSample(traceID: traceID, parent: usableParent, name: operationName, kind: kind)
        let tailEligible = parentStorage?.tailEligible ?? (usableParent == nil)
        if decision == .drop {
            if let parentStorage {
                // A recorded-only local parent keeps its children recorded: the tail rule and the
                // local files need the whole trace.
                if parentStorage.decision == .recordOnly { decision = .recordOnly }
            } else if (tailEligible && self.pipeline.recordsUnsampled) || self.pipeline.logSpans == .all {
                decision = .recordOnly
            }
        }

        // A trace id SpanLog made is random (Level 2's random flag); a continued trace keeps its
        // caller's flags, and an inherited id of unknown origin gets no random flag.
        var flags = usableParent?.traceFlags ?? (inheritedTraceID == nil ? [.random] : [])
        if decision == .recordAndSample { flags.insert(.sampled) } else { flags.remove(.sampled) }
        let spanContext = SpanContext(
            traceID: traceID,
            spanID: IDGenerator.spanID(),
            parentSpanID: usableParent?.spanID,
            traceFlags: flags,
            traceState: usableParent?.traceState ?? "",
            isRemote: false
        )
        let storage = SpanStorage(
            spanContext: spanContext,
            name: operationName,
            kind: kind,
            start: decision == .drop ? RecordTime(nanosecondsSinceEpoch: 0) : RecordTime(clampingNanosecondsSinceEpoch: instant().nanosecondsSinceEpoch),
            decision: decision,
            isLocalRoot: parentStorage == nil,
            tailEligible: tailEligible,
            parentContext: parentContext,
            pipeline: decision == .drop ? nil : self.pipeline
        )
        return SpanLogSpan(storage: storage)
    }

    public func activeSpan(identifiedBy context: ServiceContext) -> SpanLogSpan? {
        guard let storage = SpanContextEntry.holder(in: context) as? SpanStorage else { return nil }
        return SpanLogSpan(storage: storage)
    }

    /// Exports everything finished so far; waits at most the export timeout.
    public func forceFlush() {
        guard let processor = self.processor else { return }
        let done = ConditionLock()
        let finished = UnsafeTransfer(false)
        Task.detached {
            await processor.forceFlush()
            done.withLock {
                finished.value = true
                done.broadcast()
            }
        }
        let deadline = monotonicNanoseconds() + UInt64(self.configuration.batching.exportTimeoutMilliseconds) * 1_000_000
        done.withLock {
            while !finished.value && monotonicNanoseconds() < deadline {
                done.wait(untilMonotonic: min(deadline, monotonicNanoseconds() + 50_000_000))
            }
        }
    }

    /// Exports what is queued (within the export timeout) and stops the exporter.
    public func shutdown() async {
        await self.processor?.shutdown()
    }

    /// Exports what is queued within `timeout` (or the export timeout, if shorter) and stops the
    /// exporter; what is left is counted as dropped.
    public func shutdown(timeout: Duration) async {
        let milliseconds = Int(clamping: timeout.nanoseconds / 1_000_000)
        await self.processor?.shutdown(timeoutMilliseconds: min(milliseconds, self.configuration.batching.exportTimeoutMilliseconds))
    }

    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        self.propagator.extract(carrier, into: &context, using: extractor)
    }

    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        self.propagator.inject(context, into: &carrier, using: injector)
    }
}

/// A mutable box handed across a lock; every access happens under that lock.
final class UnsafeTransfer<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
