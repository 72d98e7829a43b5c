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

    /// Creates a resource.
    public init(serviceName: String, attributes: [String: String] = [:]) {
        self.serviceName = serviceName
        self.attributes = attributes
    }
}
