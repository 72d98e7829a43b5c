/// The OpenTelemetry resource attribute names resource detection sets, written once (semantic
/// conventions 1.44.0; the tests check each against swift-otel-semantic-conventions' constants).
///
/// ```swift
/// let pid = resource.attributes[ResourceAttributeName.processPID]
/// ```
package enum ResourceAttributeName {
    package static let serviceName = "service.name"
    package static let serviceInstanceID = "service.instance.id"
    package static let sdkName = "telemetry.sdk.name"
    package static let sdkLanguage = "telemetry.sdk.language"
    package static let sdkVersion = "telemetry.sdk.version"
    package static let hostName = "host.name"
    package static let processPID = "process.pid"
    package static let processExecutableName = "process.executable.name"
    package static let processRuntimeName = "process.runtime.name"
    package static let processRuntimeVersion = "process.runtime.version"
    package static let processRuntimeDescription = "process.runtime.description"
    package static let containerID = "container.id"
    package static let k8sPodName = "k8s.pod.name"
    package static let k8sPodUID = "k8s.pod.uid"
    package static let k8sNamespaceName = "k8s.namespace.name"
    package static let k8sNodeName = "k8s.node.name"
    package static let k8sContainerName = "k8s.container.name"
    package static let k8sClusterName = "k8s.cluster.name"
}
