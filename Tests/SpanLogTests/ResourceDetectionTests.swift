import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import OTelSemanticConventions
import SpanLog
import Testing
import Tracing

@Suite("Resource detection")
struct ResourceDetectionTests {
    typealias Name = ResourceAttributeName

    @Test("the process's own attributes: SDK, pid, host, executable, runtime")
    func processAttributes() throws {
        let attributes = SpanLogResource.detected(serviceName: "checkout", environment: [:]).attributes
        #expect(attributes[Name.sdkName] == "spanlog")
        #expect(attributes[Name.sdkLanguage] == "swift")
        #expect(attributes[Name.sdkVersion] == SpanLogResource.sdkVersion)
        #expect(attributes[Name.processPID] == String(getpid()))
        var host = [CChar](repeating: 0, count: 256)
        #expect(gethostname(&host, 255) == 0)
        #expect(attributes[Name.hostName] == String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        #expect(attributes[Name.processExecutableName] == (executable as NSString).lastPathComponent)
        #expect(attributes[Name.processRuntimeName] == "swift")
        let version = try #require(attributes[Name.processRuntimeVersion])
        #expect(version.hasPrefix("6.") || version.hasPrefix("7"))
        #expect(attributes[Name.processRuntimeDescription]?.hasPrefix("Swift \(version), ") == true)
        // No Kubernetes variable, no Kubernetes attribute.
        #expect(!attributes.keys.contains { $0.hasPrefix("k8s.") })
    }

    @Test("service.instance.id: a version 4 UUID, the same on every detection in the process")
    func instanceIDIsStable() throws {
        let first = try #require(SpanLogResource.detected().attributes[Name.serviceInstanceID])
        let second = try #require(SpanLogResource.detected(serviceName: "other", environment: ["POD_NAME": "p"]).attributes[Name.serviceInstanceID])
        #expect(first == second)
        let groups = first.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
        #expect(groups == [8, 4, 4, 4, 12])
        #expect(first.allSatisfy { $0 == "-" || $0.isHexDigit && !$0.isUppercase })
        #expect(Array(first)[14] == "4")  // version 4
        #expect("89ab".contains(Array(first)[19]))  // RFC 4122 variant
    }

    @Test("another process detects another service.instance.id")
    func instanceIDDiffersAcrossProcesses() throws {
        let output = try FileSinkTestSupport.run(try FileSinkTestSupport.crashChildPath(), ["resource", "/tmp"])
        #expect(output.status == 0, "\(output.stderr)")
        let fields = output.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
        try #require(fields.count == 2, "\(output.stdout)")
        let ours = try #require(SpanLogResource.detected().attributes[Name.serviceInstanceID])
        #expect(fields[0].count == 36 && fields[0] != ours)
        #expect(fields[1] != String(getpid()))
    }

    @Test("Kubernetes variables map to k8s.* attributes; the Operator's names win over the common ones")
    func kubernetesVariables() {
        let attributes = SpanLogResource.detected(environment: [
            "OTEL_RESOURCE_ATTRIBUTES_POD_NAME": "checkout-7d9f-abcde",
            "POD_NAME": "ignored-for-the-operator-one",
            "POD_UID": "0c6b2f4e-1111-2222-3333-444455556666",
            "POD_NAMESPACE": "shop",
            "NODE_NAME": "node-a",
            "K8S_CONTAINER_NAME": "app",
            "K8S_CLUSTER_NAME": "prod-eu",
        ]).attributes
        #expect(attributes[Name.k8sPodName] == "checkout-7d9f-abcde")
        #expect(attributes[Name.k8sPodUID] == "0c6b2f4e-1111-2222-3333-444455556666")
        #expect(attributes[Name.k8sNamespaceName] == "shop")
        #expect(attributes[Name.k8sNodeName] == "node-a")
        #expect(attributes[Name.k8sContainerName] == "app")
        #expect(attributes[Name.k8sClusterName] == "prod-eu")
        let common = SpanLogResource.detected(environment: ["POD_NAME": "p", "KUBE_NODE_NAME": "n", "NODE_NAME": "  "]).attributes
        #expect(common[Name.k8sPodName] == "p" && common[Name.k8sNodeName] == "n")
    }

    @Test("the namespace comes from the service account file inside a pod, a variable wins over it")
    func namespaceFromServiceAccount() {
        let files: ResourceDetector.FileReader = { path, _ in
            path.hasSuffix("serviceaccount/namespace") ? "payments\n" : nil
        }
        let inPod = ResourceDetector.attributes(environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1"], readFile: files)
        #expect(inPod[Name.k8sNamespaceName] == "payments")
        let named = ResourceDetector.attributes(environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "POD_NAMESPACE": "shop"], readFile: files)
        #expect(named[Name.k8sNamespaceName] == "shop")
        #expect(ResourceDetector.attributes(environment: [:], readFile: files)[Name.k8sNamespaceName] == nil)
    }

    @Test("OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME win over what is detected")
    func standardVariablesWin() {
        let configuration = TelemetryConfiguration.fromEnvironment([
            "OTEL_SERVICE_NAME": "checkout",
            "POD_NAME": "detected-pod",
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=ignored,k8s.pod.name=given-pod,host.name=given-host,service.instance.id=i-1,team=a",
        ])
        let resource = configuration.resource
        #expect(resource.serviceName == "checkout")
        #expect(resource.attributes[Name.k8sPodName] == "given-pod")
        #expect(resource.attributes[Name.hostName] == "given-host")
        #expect(resource.attributes[Name.serviceInstanceID] == "i-1")
        #expect(resource.attributes["team"] == "a")
        #expect(resource.attributes[Name.processPID] == String(getpid()))
        #expect(resource.attributes[Name.serviceName] == nil)
    }

    @Test("OTEL_RESOURCE_DISABLED_KEYS leaves detected attributes out, not given ones")
    func disabledKeys() {
        let configuration = TelemetryConfiguration.fromEnvironment([
            "OTEL_RESOURCE_DISABLED_KEYS": "host.name, process.pid,k8s.pod.name",
            "OTEL_EXPERIMENTAL_RESOURCE_DISABLED_KEYS": "process.executable.name",
            "POD_NAME": "p",
            "OTEL_RESOURCE_ATTRIBUTES": "host.name=given",
        ])
        let attributes = configuration.resourceAttributes
        #expect(attributes[Name.hostName] == "given")
        #expect(attributes[Name.processPID] == nil && attributes[Name.k8sPodName] == nil && attributes[Name.processExecutableName] == nil)
        #expect(attributes[Name.serviceInstanceID] != nil)
    }

    @Test(
        "container.id from a cgroup file",
        arguments: [
            ("12:memory:/docker/\(String(repeating: "a1", count: 32))", String(repeating: "a1", count: 32)),
            ("0::/kubepods/burstable/pod0c6b2f4e-1111/\(String(repeating: "0f", count: 32))", String(repeating: "0f", count: 32)),
            ("0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-\(String(repeating: "bc", count: 32)).scope", String(repeating: "bc", count: 32)),
            ("1:name=systemd:/system.slice/docker-\(String(repeating: "DE", count: 32)).scope\n0::/", String(repeating: "de", count: 32)),
            ("0::/machine.slice/libpod-\(String(repeating: "9a", count: 32)).scope/container", String(repeating: "9a", count: 32)),
        ]
    )
    func containerIDFromCgroup(text: String, expected: String) {
        #expect(ContainerID.fromCgroup(text) == expected)
    }

    @Test("container.id from mountinfo: the hostname mount's container, never a pod sandbox")
    func containerIDFromMountInfo() {
        let id = String(repeating: "7e", count: 32)
        let sandbox = String(repeating: "5a", count: 32)
        let docker = """
            1 0 0:1 / / rw - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/ABC
            2 1 8:1 /var/lib/docker/containers/\(id)/resolv.conf /etc/resolv.conf rw - ext4 /dev/sda1 rw
            3 1 8:1 /var/lib/docker/containers/\(id)/hostname /etc/hostname rw - ext4 /dev/sda1 rw
            """
        #expect(ContainerID.fromMountInfo(docker) == id)
        let podman = "9 1 0:5 /var/lib/containers/storage/overlay-containers/\(id)/userdata/hostname /etc/hostname rw - tmpfs tmpfs rw"
        #expect(ContainerID.fromMountInfo(podman) == id)
        let containerd = "4 1 8:1 /var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/\(sandbox)/hostname /etc/hostname rw - ext4 /dev/sda1 rw"
        #expect(ContainerID.fromMountInfo(containerd) == nil)
    }

    @Test(
        "odd cgroup and mountinfo text gives nothing, never a crash",
        arguments: [
            "", "0::/", "\n\n\n", ":::::", "0::/user.slice/user-0.slice/session-3.scope",
            "12:memory:/docker/\(String(repeating: "g", count: 64))",  // not hex
            "12:memory:/docker/\(String(repeating: "a", count: 63))",  // too short
            "12:memory:/docker/\(String(repeating: "a", count: 65))",  // too long
            "12:memory:/docker/\u{0}\u{FFFD}é漢字-\(String(repeating: "€", count: 64)).scope",
            "/containers/", "x containers/ y", "a/containers", String(repeating: "containers/", count: 10_000),
            String(repeating: "-", count: 100_000) + ".scope",
        ]
    )
    func oddContainerText(text: String) {
        #expect(ContainerID.fromCgroup(text) == nil)
        #expect(ContainerID.fromMountInfo(text) == nil)
    }

    @Test("files that cannot be read, or hold nothing usable, leave container.id out")
    func unreadableFiles() {
        let none = ResourceDetector.attributes(environment: [:], readFile: { _, _ in nil })
        #expect(none[Name.containerID] == nil && none[Name.processPID] == String(getpid()))
        let bytes = ResourceDetector.attributes(environment: [:], readFile: { _, _ in "\u{1}\u{2}garbage\u{FFFD}" })
        #expect(bytes[Name.containerID] == nil)
        #expect(ResourceDetector.readSmallFile("/nonexistent/spanlog", limit: 10) == nil)
        #expect(ResourceDetector.readSmallFile("/proc/self/cgroup", limit: 4).map { $0.utf8.count <= 4 } ?? true)
    }

    @Test("a span record written to a real file carries the resource Telemetry exposes")
    func spanRecordInFileCarriesResource() async throws {
        let directory = try FileSinkTestSupport.makeTemporaryDirectory("resource")
        defer { FileSinkTestSupport.removeTree(directory) }
        let telemetry = Telemetry.make(TelemetryConfiguration.fromEnvironment([
            "TELEMETRY_ENABLED": "true",
            "OTEL_EXPORTER": "none",
            "OTEL_SERVICE_NAME": "checkout",
            "OTEL_TRACE_SAMPLE": "1.0",
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=test",
            "POD_NAME": "checkout-1",
            "LOG_DIR": directory,
            "LOG_FORMAT": "json",
        ]))
        let tracer = try #require(telemetry.tracer)
        tracer.withSpan("http.server") { _ in }
        await telemetry.shutdown()

        let resource = telemetry.configuration.resource
        let instanceID = try #require(resource.attributes[Name.serviceInstanceID])
        #expect(instanceID == SpanLogResource.detected().attributes[Name.serviceInstanceID])
        let records = try FileSinkTestSupport.logFiles(directory).flatMap(FileSinkTestSupport.records)
        let span = try #require(records.first { $0["record"] as? String == "span" })
        #expect(span["service"] as? String == "checkout")
        let written = try #require(span["resource"] as? [String: String])
        #expect(written == resource.attributes)
        #expect(written[Name.serviceInstanceID] == instanceID)
        #expect(written[Name.k8sPodName] == "checkout-1" && written["deployment.environment"] == "test")
        #expect(written[Name.processPID] == String(getpid()))
    }

    @Test("the span record's resource is encoded once per resource: a changed or another resource is written as it is")
    func resourceFragmentFollowsTheResource() throws {
        func resourceOf(_ resource: SpanLogResource) throws -> [String: String]? {
            let record = SpanRecord(
                name: "s", context: randomSpanContext(), start: RecordTime(nanosecondsSinceEpoch: 1),
                end: RecordTime(nanosecondsSinceEpoch: 2), resource: resource)
            var buffer = RecordBuffer()
            JSONRecordEncoder().encode(record, into: &buffer)
            let line = String(decoding: buffer.bytes, as: UTF8.self)
            return try #require(parseJSONObject(line), "\(line)")["resource"] as? [String: String]
        }
        var resource = SpanLogResource.detected(serviceName: "a")
        #expect(try resourceOf(resource) == resource.attributes)
        #expect(try resourceOf(resource) == resource.attributes)  // the kept fragment
        resource.attributes["deployment.environment"] = "prod"
        #expect(try resourceOf(resource)?["deployment.environment"] == "prod")
        let other = SpanLogResource(serviceName: "b", attributes: ["team": "x\"y"])
        #expect(try resourceOf(other) == ["team": "x\"y"])
        #expect(try resourceOf(SpanLogResource(serviceName: "c")) == nil)
        // An equal resource built separately (other storage) writes the same attributes.
        let copy = SpanLogResource(serviceName: "b", attributes: Dictionary(uniqueKeysWithValues: other.attributes.map { ($0, $1) }))
        #expect(try resourceOf(copy) == ["team": "x\"y"])
        #expect(try resourceOf(resource)?.count == resource.attributes.count)
    }

    @Test("the attribute names are swift-otel-semantic-conventions 1.44.0's")
    func namesMatchSemanticConventions() {
        #expect(Name.serviceName == OTelAttribute.service.name)
        #expect(Name.serviceInstanceID == OTelAttribute.service.instance.id)
        #expect(Name.sdkName == OTelAttribute.telemetry.sdk.name)
        #expect(Name.sdkLanguage == OTelAttribute.telemetry.sdk.language)
        #expect(Name.sdkVersion == OTelAttribute.telemetry.sdk.version)
        #expect(Name.hostName == OTelAttribute.host.name)
        #expect(Name.processPID == OTelAttribute.process.pid)
        #expect(Name.processExecutableName == OTelAttribute.process.executable.name)
        #expect(Name.processRuntimeName == OTelAttribute.process.runtime.name)
        #expect(Name.processRuntimeVersion == OTelAttribute.process.runtime.version)
        #expect(Name.processRuntimeDescription == OTelAttribute.process.runtime.description)
        #expect(Name.containerID == OTelAttribute.container.id)
        #expect(Name.k8sPodName == OTelAttribute.k8s.pod.name)
        #expect(Name.k8sPodUID == OTelAttribute.k8s.pod.uid)
        #expect(Name.k8sNamespaceName == OTelAttribute.k8s.namespace.name)
        #expect(Name.k8sNodeName == OTelAttribute.k8s.node.name)
        #expect(Name.k8sContainerName == OTelAttribute.k8s.container.name)
        #expect(Name.k8sClusterName == OTelAttribute.k8s.cluster.name)
        // Every attribute detection can set is one of the names above.
        let checked: Set = [
            Name.serviceInstanceID, Name.sdkName, Name.sdkLanguage, Name.sdkVersion, Name.hostName, Name.processPID,
            Name.processExecutableName, Name.processRuntimeName, Name.processRuntimeVersion, Name.processRuntimeDescription,
            Name.containerID, Name.k8sPodName, Name.k8sPodUID, Name.k8sNamespaceName, Name.k8sNodeName, Name.k8sContainerName,
            Name.k8sClusterName,
        ]
        let everything = ResourceDetector.attributes(
            environment: Dictionary(uniqueKeysWithValues: ResourceDetector.kubernetesVariables.map { ($0.variables[0], "x") }),
            readFile: { path, _ in path.hasSuffix("cgroup") ? "0::/docker/\(String(repeating: "ab", count: 32))" : nil })
        #expect(Set(everything.keys) == checked)
    }
}
