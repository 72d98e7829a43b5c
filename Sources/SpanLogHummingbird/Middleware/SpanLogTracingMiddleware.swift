public import Hummingbird
public import HTTPTypes
public import Instrumentation
public import SpanLog
public import Tracing

/// Router middleware that runs every request inside an `http.server` span (kind server).
///
/// For each request it extracts W3C trace context from the request headers (so a caller's
/// trace continues), starts the span, runs the rest of the chain inside the span's
/// `ServiceContext` — so `context.logger`, `Logger.current` and any other SpanLog logger add
/// the request's `trace_id` and `span_id` to every line — and ends the span as soon as the
/// handler returns (the response body is not wrapped, so the server keeps its single-write path).
///
/// Span attributes (the seed's names beside the OpenTelemetry semantic-convention ones):
/// `http.method`, `http.request.method`, `http.route` (the route template, e.g. `/users/{id}`,
/// never the raw path; absent when no route matched), `http.status_code`,
/// `http.response.status_code`, `http.duration_seconds`, `url.path`, `url.scheme`,
/// `http.response.body.size` (when the body's length is known) and `error.type` (5xx and thrown
/// errors). A 5xx response or a thrown error sets error status, so the tail rule keeps the trace;
/// a thrown `HTTPError` with a 4xx status does not. Responses carry ``ResponseTraceHeaders``;
/// so that error responses carry them too, a thrown `HTTPError` leaves the middleware as the same
/// `HTTPError` with the headers added, and any other thrown error wrapped in
/// ``TracedRequestError`` (same status and response; `underlying` is the original).
///
/// With a no-op tracer (telemetry off) and no metrics the middleware only calls the next
/// responder.
///
/// ```swift
/// let telemetry = Telemetry.bootstrap()
/// let router = Router()
/// router.add(middleware: SpanLogTracingMiddleware(telemetry: telemetry))
/// router.get("/users/{id}") { _, context in
///     context.logger.info("loading user")   // carries trace_id and span_id
///     return "user"
/// }
/// ```
public struct SpanLogTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    // The methods are inlinable so that they are specialized for the application's request
    // context (and for SpanLogTracer) instead of running as unspecialized generic code.

    /// The tracer when it is a `SpanLogTracer` (the common case, called without existentials).
    @usableFromInline let spanLogTracer: SpanLogTracer?
    /// Any other tracer; `nil` for a `NoOpTracer` or a `SpanLogTracer`.
    @usableFromInline let otherTracer: (any Tracer)?
    @usableFromInline let metrics: HTTPServerMetrics?
    @usableFromInline let responseHeaders: ResponseTraceHeaders
    @usableFromInline let scheme: String

    /// The response headers added unless told otherwise: `X-Trace-Id` alone, the id a person
    /// pastes into `spanlog grep`. Pass `.all` or `.traceparent` for the W3C form as well.
    public static var defaultResponseHeaders: ResponseTraceHeaders { .traceID }

    /// Creates the middleware.
    ///
    /// - Parameters:
    ///   - tracer: the tracer to use; by default the bootstrapped `InstrumentationSystem.tracer`,
    ///     read once here (create the middleware after `Telemetry.bootstrap`).
    ///   - metrics: request count and duration metrics, or `nil` for none.
    ///   - responseHeaders: which trace headers to add to responses.
    ///   - scheme: the `url.scheme` attribute (`https` behind TLS).
    public init(
        tracer: any Tracer = InstrumentationSystem.tracer,
        metrics: HTTPServerMetrics? = nil,
        responseHeaders: ResponseTraceHeaders = Self.defaultResponseHeaders,
        scheme: String = "http"
    ) {
        self.spanLogTracer = tracer as? SpanLogTracer
        self.otherTracer = tracer is NoOpTracer || tracer is SpanLogTracer ? nil : tracer
        self.metrics = metrics
        self.responseHeaders = responseHeaders
        self.scheme = scheme
    }

    /// Creates the middleware from a ``Telemetry``: its tracer (none when tracing is off) and
    /// request metrics on its ``Telemetry/metricsFactory`` (Prometheus, SpanLog's backend for
    /// OTLP and the console, or both), none when it has no metrics.
    public init(telemetry: Telemetry, responseHeaders: ResponseTraceHeaders = Self.defaultResponseHeaders, scheme: String = "http") {
        self.init(
            tracer: telemetry.tracer ?? NoOpTracer(),
            metrics: telemetry.metricsFactory.map { HTTPServerMetrics(factory: $0) },
            responseHeaders: responseHeaders,
            scheme: scheme
        )
    }

    @inlinable
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let tracer = self.spanLogTracer {
            return try await self.traced(request, context: context, next: next, tracer: tracer)
        }
        if let tracer = self.otherTracer {
            return try await self.traced(request, context: context, next: next, tracer: tracer)
        }
        guard let metrics = self.metrics else {
            return try await next(request, context)
        }
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.record(method: request.method, route: Self.route(context), status: Int(response.status.code), duration: .now - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            metrics.record(method: request.method, route: Self.route(context), status: status, duration: .now - started)
            throw error
        }
    }

    @inlinable
    func traced<T: Tracer>(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response,
        tracer: T
    ) async throws -> Response {
        var parent = ServiceContext.current ?? .topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let span = tracer.startSpan("http.server", context: parent, ofKind: .server)
        // The request's duration is only needed for a recording span's attributes and for the
        // metrics: an unsampled request that is not recorded reads no clock here.
        let started: ContinuousClock.Instant? = span.isRecording || self.metrics != nil ? ContinuousClock.now : nil
        var response: Response
        do {
            // The task-local directly: `ServiceContext.withValue` is an unspecialized generic
            // wrapper around it, which costs a hello request a few per cent (docs/performance.md).
            response = try await ServiceContext.$current.withValue(span.context) {
                try await next(request, context)
            }
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            self.finish(span, request: request, context: context, status: status, bodySize: nil, error: error, started: started)
            var headers = HTTPFields()
            self.addTraceHeaders(for: span, to: &headers)
            if headers.isEmpty { throw error }
            // Hummingbird's own error keeps its type: the headers go into it.
            if var httpError = error as? HTTPError {
                httpError.headers.append(contentsOf: headers)
                throw httpError
            }
            throw TracedRequestError(underlying: error, additionalHeaders: headers)
        }
        self.finish(
            span, request: request, context: context, status: Int(response.status.code),
            bodySize: response.body.contentLength, error: nil, started: started
        )
        self.addTraceHeaders(for: span, to: &response.headers)
        return response
    }

    /// Appends the trace headers (a handler that sets `traceparent` or `X-Trace-Id` on its
    /// response itself gets a second field).
    @inlinable
    func addTraceHeaders<S: Span>(for span: S, to headers: inout HTTPFields) {
        guard !self.responseHeaders.isEmpty else { return }
        // A SpanLogSpan knows its ids; other spans are asked through their ServiceContext.
        let found = (span as? SpanLogSpan)?.spanContext ?? span.context.spanContext
        guard let ids = found, ids.traceID.isValid else { return }
        if self.responseHeaders.contains(.traceparent) {
            headers.append(HTTPField(name: .traceparent, value: ids.traceparent))
        }
        if self.responseHeaders.contains(.traceID) {
            headers.append(HTTPField(name: .xTraceID, value: ids.traceID.description))
        }
    }

    @inlinable
    func finish<S: Span>(
        _ span: S,
        request: Request,
        context: Context,
        status: Int,
        bodySize: Int?,
        error: (any Error)?,
        started: ContinuousClock.Instant?
    ) {
        let duration = started.map { ContinuousClock.now - $0 } ?? .zero
        // A span that records nothing and no metrics need no route.
        let route = span.isRecording || self.metrics != nil ? Self.route(context) : nil
        if span.isRecording {
            let method = request.method.rawValue
            let scheme = self.scheme
            let path = request.uri.path
            let errorType: String? =
                if let error, !(400..<500).contains(status) { String(reflecting: type(of: error)) }
                else if status >= 500 { String(status) }
                else { nil }
            let seconds = duration.secondsAsDouble
            let setAttributes: @Sendable (inout SpanAttributes) -> Void = { attributes in
                // Room for all of them at once: growing from empty would reallocate and rehash
                // the dictionary four times on the way to ten attributes.
                attributes.reserveCapacity(attributes.count + 11)
                attributes["http.method"] = method
                attributes["http.request.method"] = method
                attributes["http.route"] = route
                attributes["http.status_code"] = status
                attributes["http.response.status_code"] = status
                attributes["http.duration_seconds"] = seconds
                attributes["url.path"] = path
                attributes["url.scheme"] = scheme
                if let bodySize { attributes["http.response.body.size"] = bodySize }
                if let errorType { attributes["error.type"] = errorType }
            }
            // A SpanLog span computes them only if its record is built: at 2 % sampling most
            // request spans are discarded by the tail rule at their end.
            if let spanLogSpan = span as? SpanLogSpan {
                spanLogSpan.setAttributesLazily(setAttributes)
            } else {
                span.updateAttributes(setAttributes)
            }
            if let error, !(400..<500).contains(status) {
                span.recordError(error)
            } else if status >= 500 {
                span.setStatus(SpanStatus(code: .error, message: "HTTP \(status)"))
            }
        }
        if let metrics = self.metrics {
            // Inside the span's context: a sampled request's duration carries the span's ids as
            // an exemplar (SpanLog's metrics backend), so a latency bucket links to its trace.
            ServiceContext.$current.withValue(span.context) {
                metrics.record(method: request.method, route: route, status: status, duration: duration)
            }
        }
        span.end()
    }
}

extension SpanLogTracingMiddleware {
    /// The matched route's template; `nil` when no route matched (Hummingbird's not-found
    /// responder records `NotFound`, which is not a route).
    @inlinable
    static func route(_ context: Context) -> String? {
        guard let path = context.endpointPath, path != "NotFound" else { return nil }
        return path
    }
}

extension HTTPField.Name {
    @usableFromInline static let traceparent = HTTPField.Name("traceparent")!
    static let tracestate = HTTPField.Name("tracestate")!
    @usableFromInline static let xTraceID = HTTPField.Name("X-Trace-Id")!
}

extension Duration {
    @usableFromInline var secondsAsDouble: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
