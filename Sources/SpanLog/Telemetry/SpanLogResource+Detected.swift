extension SpanLogResource {
    /// A resource for `serviceName` with the attributes that describe this process: the SDK
    /// (`telemetry.sdk.name` `spanlog`, `telemetry.sdk.language` `swift`,
    /// `telemetry.sdk.version`), `service.instance.id` (a random UUID, the same for the whole
    /// process), `host.name`, `process.pid`, `process.executable.name`, `process.runtime.*`,
    /// `container.id` (Linux, from `/proc/self/cgroup` or `/proc/self/mountinfo`) and
    /// Kubernetes attributes from downward-API variables (`POD_NAME`, `POD_NAMESPACE`,
    /// `NODE_NAME`, the OpenTelemetry Operator's `OTEL_RESOURCE_ATTRIBUTES_POD_NAME`, …; the
    /// list is in `docs/configuration.md`). Keys named in `OTEL_RESOURCE_DISABLED_KEYS` are left
    /// out. ``TelemetryConfiguration/fromEnvironment(_:)`` starts from it and lets
    /// `OTEL_RESOURCE_ATTRIBUTES` override any of it; `init(serviceName:attributes:)` detects
    /// nothing.
    ///
    /// ```swift
    /// let resource = SpanLogResource.detected(serviceName: "checkout")
    /// print(resource.attributes["service.instance.id"] ?? "")   // 6f1c…-…, stable for the process
    /// ```
    public static func detected(serviceName: String = "unknown_service", environment: [String: String]? = nil) -> SpanLogResource {
        let environment = environment ?? EnvironmentReader.processEnvironment()
        return SpanLogResource(serviceName: serviceName, attributes: ResourceDetector.attributes(environment: environment))
    }
}
