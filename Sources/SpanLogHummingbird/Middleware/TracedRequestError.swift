public import Hummingbird

/// An error thrown by a handler, on its way out of ``SpanLogTracingMiddleware`` with the trace
/// headers the error's response must carry. Its response is the original error's (an
/// `HTTPResponseError` keeps its status, headers and body), or a bodiless 500 as Hummingbird
/// answers any other error, plus the headers.
///
/// Outer middleware that looks for a particular error type unwraps it:
///
/// ```swift
/// } catch let error as TracedRequestError {
///     if error.underlying is ValidationError { … }
/// }
/// ```
public struct TracedRequestError: HTTPResponseError {
    /// The error the handler threw.
    public let underlying: any Error
    /// The headers added to the response.
    public let additionalHeaders: HTTPFields

    /// Wraps `underlying`, adding `additionalHeaders` to its response.
    public init(underlying: any Error, additionalHeaders: HTTPFields) {
        self.underlying = underlying
        self.additionalHeaders = additionalHeaders
    }

    /// The original error's status, or 500.
    public var status: HTTPResponse.Status {
        (self.underlying as? any HTTPResponseError)?.status ?? .internalServerError
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        guard let original = self.underlying as? any HTTPResponseError else {
            return Response(status: .internalServerError, headers: self.additionalHeaders)
        }
        var response = try original.response(from: request, context: context)
        for field in self.additionalHeaders {
            response.headers[field.name] = field.value
        }
        return response
    }
}
