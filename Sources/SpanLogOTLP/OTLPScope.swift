import SpanLog

/// The instrumentation scope every exported span and log record carries: `spanlog` and the
/// version of this module's encoding.
///
/// ```swift
/// print(OTLPScope.name, OTLPScope.version)  // spanlog 1.0.0
/// ```
public enum OTLPScope {
    /// `InstrumentationScope.name`.
    public static let name = "spanlog"
    /// `InstrumentationScope.version`: SpanLog's version, the same as the resource's
    /// `telemetry.sdk.version`.
    public static let version = SpanLogResource.sdkVersion
}
