import Hummingbird
import HTTPTypes
import Instrumentation
import SpanLog
import Synchronization

/// The floor under any tracing middleware (the bench server's `context` and `floor` modes).
///
/// `context` only puts a span context into the task-local `ServiceContext` and runs the handler
/// inside it, which is what makes log lines carry the ids: no span, no ids generated, no clock.
/// `floor` also adds the `X-Trace-Id` response header, as the issue asks of the middleware:
/// together, the least any middleware can do that correlates a request's log lines and tells the
/// caller its trace id through swift-distributed-tracing's `ServiceContext` and HTTP types. Its
/// ids come from a counter, so it pays nothing for random numbers or sampling either.
struct ContextOnlyMiddleware<Context: RequestContext>: RouterMiddleware {
    let addsTraceHeader: Bool
    private let counter = Counter()
    private let traceIDName = HTTPField.Name("X-Trace-Id")!

    init(addsTraceHeader: Bool = false) {
        self.addsTraceHeader = addsTraceHeader
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let number = self.counter.next()
        let ids = SpanContext(traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: number), spanID: SpanID(rawValue: number))
        var serviceContext = ServiceContext.current ?? .topLevel
        serviceContext.spanContext = ids
        var response = try await ServiceContext.$current.withValue(serviceContext) {
            try await next(request, context)
        }
        if self.addsTraceHeader {
            response.headers.append(HTTPField(name: self.traceIDName, value: ids.traceID.description))
        }
        return response
    }

    /// A request counter: the floor's ids need only be distinct, not random.
    private final class Counter: Sendable {
        private let value = Atomic<UInt64>(0)
        func next() -> UInt64 {
            self.value.wrappingAdd(1, ordering: .relaxed).newValue
        }
    }
}
