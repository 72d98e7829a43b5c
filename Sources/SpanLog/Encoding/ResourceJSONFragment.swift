/// The `"resource":{…}` member of span records, encoded once per thread and resource instead of
/// for every record: a detected resource holds a dozen attributes, and every recorded span
/// writes them. A record whose resource is not the one last encoded on this thread (another
/// tracer, or a resource changed in code) has its fragment encoded again and kept in its place.
/// The check is `==` on the resource, which takes a pointer comparison when the record's resource
/// shares the tracer's storage, as every record the tracer builds does.
///
/// ```swift
/// ResourceJSONFragment.perThread.value.append(span.resource, to: &buffer)   // ,"resource":{"host.name":"web-1",…}
/// ```
final class ResourceJSONFragment {
    /// This thread's fragment.
    static let perThread = ThreadLocalObject { ResourceJSONFragment() }

    private var resource: SpanLogResource?
    private var bytes: [UInt8] = []

    /// Appends `,"resource":{…}` for `resource` (nothing when it has no attributes).
    func append(_ resource: SpanLogResource, to buffer: inout RecordBuffer) {
        guard !resource.attributes.isEmpty else { return }
        if self.resource != resource {
            var fragment = RecordBuffer(capacity: 1024)
            fragment.appendRaw(",\"resource\":{")
            var first = true
            for (key, value) in resource.attributes {
                if !first { fragment.append(UInt8(ascii: ",")) }
                first = false
                fragment.appendJSONKey(key)
                fragment.appendJSONString(value)
            }
            fragment.append(UInt8(ascii: "}"))
            self.bytes = fragment.bytes
            self.resource = resource
        }
        self.bytes.withUnsafeBytes { buffer.append(bytes: $0) }
    }
}
