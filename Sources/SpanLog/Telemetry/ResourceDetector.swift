#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import SpanLogFormat

/// What describes this process, read once at start: the SDK (`telemetry.sdk.*`), the instance
/// (`service.instance.id`), the host and process (`host.name`, `process.*`), the container
/// (`container.id`) and Kubernetes (`k8s.*`, from downward-API variables). Behind
/// ``SpanLogResource/detected(serviceName:environment:)``; the inputs are parameters so tests
/// can give their own environment and files.
///
/// ```swift
/// let attributes = ResourceDetector.attributes(environment: ["POD_NAME": "checkout-7d9f"])
/// // attributes["k8s.pod.name"] == "checkout-7d9f", attributes["process.pid"] == "\(getpid())", …
/// ```
package enum ResourceDetector {
    /// The variables that leave detected attributes out: comma-separated keys (Java's SDK
    /// calls it `otel.resource.disabled.keys`, formerly `otel.experimental.resource.disabled-keys`).
    package static let disabledKeysVariables = ["OTEL_RESOURCE_DISABLED_KEYS", "OTEL_EXPERIMENTAL_RESOURCE_DISABLED_KEYS"]

    /// Reads at most `limit` bytes of the file at `path`: its text, or `nil` when it cannot be
    /// opened or read.
    package typealias FileReader = (_ path: String, _ limit: Int) -> String?

    /// The detected attributes, less the keys `OTEL_RESOURCE_DISABLED_KEYS` names.
    package static func attributes(environment: [String: String], readFile: FileReader = Self.readSmallFile) -> [String: String] {
        typealias Name = ResourceAttributeName
        var attributes: [String: String] = [
            Name.sdkName: "spanlog",
            Name.sdkLanguage: "swift",
            Name.sdkVersion: SpanLogResource.sdkVersion,
            Name.serviceInstanceID: Self.instanceID,
            Name.processPID: String(getpid()),
            Name.processRuntimeName: "swift",
            Name.processRuntimeVersion: Self.swiftVersion,
            Name.processRuntimeDescription: "Swift \(Self.swiftVersion), \(Self.platform)",
        ]
        if let host = Self.hostName() { attributes[Name.hostName] = host }
        if let executable = Self.executableName() { attributes[Name.processExecutableName] = executable }
        if let container = Self.containerID(readFile: readFile) { attributes[Name.containerID] = container }
        attributes.merge(Self.kubernetesAttributes(environment: environment, readFile: readFile)) { _, kubernetes in kubernetes }

        let reader = EnvironmentReader(environment)
        for variable in Self.disabledKeysVariables {
            for key in reader.list(variable) ?? [] { attributes[key] = nil }
        }
        return attributes
    }

    /// `service.instance.id`: a random (version 4) UUID made once per process, so every signal
    /// and every telemetry of the process carries the same one, and a restart gets a new one.
    package static let instanceID: String = {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }()

    /// `container.id`: the cgroup file first, then the mounts.
    static func containerID(readFile: FileReader) -> String? {
        #if os(Linux)
        if let cgroup = readFile("/proc/self/cgroup", 64 * 1024), let id = ContainerID.fromCgroup(cgroup) { return id }
        if let mounts = readFile("/proc/self/mountinfo", 256 * 1024), let id = ContainerID.fromMountInfo(mounts) { return id }
        #endif
        return nil
    }

    /// `gethostname`, or `nil` when it fails or is empty.
    package static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }

    /// The executable's file name: `/proc/self/exe`'s target on Linux, else the first argument.
    static func executableName() -> String? {
        var path: String?
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 { path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        guard let path = path ?? CommandLine.arguments.first, !path.isEmpty else { return nil }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.isEmpty ? nil : name
    }

    /// The Swift version this program was compiled with (major.minor): the runtime it links.
    static let swiftVersion: String = {
        #if compiler(>=7.0)
        return "7.0+"
        #elseif compiler(>=6.5)
        return "6.5"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }()

    /// The operating system and processor, e.g. `Linux x86_64`.
    static let platform: String = {
        #if os(Linux)
        let system = "Linux"
        #elseif os(macOS)
        let system = "macOS"
        #else
        let system = "unknown OS"
        #endif
        #if arch(x86_64)
        return system + " x86_64"
        #elseif arch(arm64)
        return system + " arm64"
        #else
        return system
        #endif
    }()

    /// The first `limit` bytes of a file (procfs files report no size, so this reads until the end
    /// or the limit), invalid UTF-8 repaired; `nil` when it cannot be opened or read.
    package static func readSmallFile(_ path: String, limit: Int) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: max(0, limit))
        let count = bytes.withUnsafeMutableBytes { FileDescriptorIO.readAll(fd, into: $0) }
        guard count >= 0 else { return nil }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }
}
