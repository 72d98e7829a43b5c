/// Kubernetes attributes from the variables a pod spec fills from the downward API. For each
/// attribute the first variable set wins: the OpenTelemetry Operator's own
/// (`OTEL_RESOURCE_ATTRIBUTES_POD_NAME`, `…_POD_UID`, `…_NODE_NAME`, which it injects into the
/// pods it instruments), then the common names a Helm chart or a hand-written spec uses
/// (`POD_NAME`, `POD_NAMESPACE`, `NODE_NAME`, …). The namespace also comes from the service
/// account's `namespace` file, mounted in every pod that keeps its service account token.
///
/// ```yaml
/// env:
///   - name: POD_NAME
///     valueFrom: { fieldRef: { fieldPath: metadata.name } }        # k8s.pod.name
///   - name: POD_NAMESPACE
///     valueFrom: { fieldRef: { fieldPath: metadata.namespace } }   # k8s.namespace.name
///   - name: NODE_NAME
///     valueFrom: { fieldRef: { fieldPath: spec.nodeName } }        # k8s.node.name
/// ```
extension ResourceDetector {
    /// Each attribute and the variables it is read from, first set first.
    package static let kubernetesVariables: [(attribute: String, variables: [String])] = [
        (ResourceAttributeName.k8sPodName, ["OTEL_RESOURCE_ATTRIBUTES_POD_NAME", "POD_NAME", "K8S_POD_NAME"]),
        (ResourceAttributeName.k8sPodUID, ["OTEL_RESOURCE_ATTRIBUTES_POD_UID", "POD_UID", "K8S_POD_UID"]),
        (ResourceAttributeName.k8sNamespaceName, ["POD_NAMESPACE", "K8S_NAMESPACE_NAME", "K8S_POD_NAMESPACE"]),
        (ResourceAttributeName.k8sNodeName, ["OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", "NODE_NAME", "K8S_NODE_NAME", "KUBE_NODE_NAME"]),
        (ResourceAttributeName.k8sContainerName, ["K8S_CONTAINER_NAME"]),
        (ResourceAttributeName.k8sClusterName, ["K8S_CLUSTER_NAME"]),
    ]

    /// Where a pod's service account puts the pod's namespace.
    static let serviceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

    /// The Kubernetes attributes the environment (and the service account file) holds.
    static func kubernetesAttributes(environment: [String: String], readFile: FileReader) -> [String: String] {
        let reader = EnvironmentReader(environment)
        var attributes: [String: String] = [:]
        for (attribute, variables) in Self.kubernetesVariables {
            if let value = variables.lazy.compactMap({ reader.raw($0) }).first {
                attributes[attribute] = value
            }
        }
        if attributes[ResourceAttributeName.k8sNamespaceName] == nil, reader.raw("KUBERNETES_SERVICE_HOST") != nil,
            let namespace = readFile(Self.serviceAccountNamespaceFile, 253)?.trimmingASCIIWhitespace(), !namespace.isEmpty
        {
            attributes[ResourceAttributeName.k8sNamespaceName] = namespace
        }
        return attributes
    }
}
