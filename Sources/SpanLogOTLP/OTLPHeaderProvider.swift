/// Gives the OTLP exporter fresh request headers (gRPC metadata), for credentials that expire
/// such as a bearer token. The exporter calls it before its first export and again when the
/// collector refuses a request as unauthenticated (HTTP 401 or 403, gRPC `UNAUTHENTICATED` or
/// `PERMISSION_DENIED`), then sends that request once more with the new headers. The headers it
/// returns win over the static ones (`OTEL_EXPORTER_OTLP_HEADERS`) name by name.
///
/// A call is bounded by the export's deadline (`OTEL_EXPORTER_OTLP_TIMEOUT`); one that throws or
/// does not return in time is counted and reported, and the export goes on with the headers it
/// had. Keep it quick: fetch or read the token, do not wait for a person.
///
/// ```swift
/// let provider = OTLPExporterProvider(headerProvider: {
///     let token = try await tokenStore.currentAccessToken()   // refreshes when it expired
///     return [(name: "authorization", value: "Bearer \(token)")]
/// })
/// ```
public typealias OTLPHeaderProvider = @Sendable () async throws -> [(name: String, value: String)]
