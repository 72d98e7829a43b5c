import Hummingbird
import Instrumentation
import SpanLog

/// The floor under any tracing middleware (the bench server's `context` mode): it only puts a
/// span context into the task-local `ServiceContext` and runs the handler inside it, which is
/// what makes log lines carry the ids. No span, no ids generated, no headers, no clock.
struct ContextOnlyMiddleware<Context: RequestContext>: RouterMiddleware {
    let ids = SpanContext(traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736), spanID: SpanID(rawValue: 0x00f0_67aa_0ba9_02b7))

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var serviceContext = ServiceContext.current ?? .topLevel
        serviceContext.spanContext = self.ids
        return try await ServiceContext.withValue(serviceContext) {
            try await next(request, context)
        }
    }
}
