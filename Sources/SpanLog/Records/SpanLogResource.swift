/// What produced the telemetry: the service name and the resource attributes that go with every
/// span (OpenTelemetry's resource; `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`).
///
/// ```swift
/// let resource = SpanLogResource(serviceName: "checkout", attributes: ["deployment.environment": "prod"])
/// ```
public struct SpanLogResource: Hashable, Sendable {
    /// `service.name`.
    public var serviceName: String
    /// Further resource attributes, e.g. `service.version`, `deployment.environment`.
    public var attributes: [String: String]

    /// SpanLog's version: `telemetry.sdk.version` on a detected resource and the OTLP
    /// instrumentation scope's version — the one place it is written.
    package static let sdkVersion = "1.0.0"

    /// Creates a resource. It holds only what it is given; ``detected(serviceName:environment:)``
    /// adds what describes this process.
    public init(serviceName: String, attributes: [String: String] = [:]) {
        self.serviceName = serviceName
        self.attributes = attributes
    }
}
