public import SpanLog
import Synchronization

/// Keeps every span exported to it, for tests of code that traces.
///
/// ```swift
/// let exporter = InMemorySpanExporter()
/// let tracer = SpanLogTracer(configuration: .init(sampler: ConstantSampler(.recordAndSample)), exporter: exporter)
/// tracer.withSpan("checkout") { _ in }
/// await tracer.processor?.forceFlush()
/// #expect(exporter.exported.map(\.name) == ["checkout"])
/// ```
public final class InMemorySpanExporter: SpanExporter {
    private let spans = Mutex<[SpanRecord]>([])
    private let batchCount = Mutex(0)

    /// Creates an empty exporter.
    public init() {}

    /// Every span exported so far, in export order.
    public var exported: [SpanRecord] { self.spans.withLock { $0 } }

    /// How many export calls there were.
    public var batches: Int { self.batchCount.withLock { $0 } }

    /// Forgets every span.
    public func clear() { self.spans.withLock { $0.removeAll() } }

    public func export(_ batch: [SpanRecord]) async throws {
        self.spans.withLock { $0.append(contentsOf: batch) }
        self.batchCount.withLock { $0 += 1 }
    }
}
