/// `container.id` from what Linux says about this process's control groups and mounts: the
/// 64-hex-digit id container runtimes (Docker, containerd, CRI-O, Podman) put in a cgroup path
/// (`/proc/self/cgroup`, cgroup v1 and hybrid hosts) or in the path of the container's
/// `/etc/hostname` mount (`/proc/self/mountinfo`, which cgroup v2 hosts need, since their
/// cgroup file reads only `0::/` inside a container). Any text is accepted: what does not look
/// like an id gives `nil`, never a crash.
///
/// ```swift
/// ContainerID.fromCgroup("0::/system.slice/docker-\(String(repeating: "ab", count: 32)).scope")
/// // "abab…ab" (64 digits)
/// ContainerID.fromCgroup("0::/")   // nil
/// ```
package enum ContainerID {
    /// The id in the last component of a cgroup path that holds one, e.g.
    /// `12:memory:/docker/<id>`, `0::/kubepods/burstable/pod<uid>/<id>`,
    /// `0::/kubepods.slice/…/cri-containerd-<id>.scope`, `crio-<id>.scope`.
    package static func fromCgroup(_ text: String) -> String? {
        for line in text.split(separator: "\n") {
            // hierarchy-id:controllers:path; the path may itself hold colons.
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            for component in fields[2].split(separator: "/").reversed() {
                if let id = Self.id(inComponent: component) { return id }
            }
        }
        return nil
    }

    /// The id that follows a `containers` (Docker, containerd) or `overlay-containers` (Podman,
    /// CRI-O) component in a mount's path, e.g.
    /// `… /var/lib/docker/containers/<id>/hostname /etc/hostname rw …`. A pod sandbox's id
    /// (`…/sandboxes/<id>/…`) is not the container's and is not taken.
    package static func fromMountInfo(_ text: String) -> String? {
        for line in text.split(separator: "\n") {
            for field in line.split(separator: " ") where field.contains("containers/") {
                let components = field.split(separator: "/")
                for index in components.indices.dropLast()
                where components[index] == "containers" || components[index] == "overlay-containers" {
                    if let id = Self.hexID(components[index + 1]) { return id }
                }
            }
        }
        return nil
    }

    /// `component` without a runtime's prefix (`docker-`, `cri-containerd-`, `crio-`,
    /// `libpod-`, up to the last `-` or `:`) and a `.scope` suffix, when the rest is an id.
    private static func id(inComponent component: Substring) -> String? {
        var rest = component
        if rest.hasSuffix(".scope") { rest = rest.dropLast(".scope".count) }
        if let separator = rest.lastIndex(where: { $0 == "-" || $0 == ":" }) {
            rest = rest[rest.index(after: separator)...]
        }
        return Self.hexID(rest)
    }

    /// `text` in lowercase when it is exactly 64 hex digits.
    private static func hexID(_ text: Substring) -> String? {
        let bytes = text.utf8
        guard bytes.count == 64, bytes.allSatisfy({ byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }) else { return nil }
        return String(text).lowercased()
    }
}
