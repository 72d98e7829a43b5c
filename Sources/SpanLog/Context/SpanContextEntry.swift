import Instrumentation

/// Reads and writes SpanLog's one entry of a `ServiceContext` (``SpanContextKey``) with code
/// specialized for that entry, instead of through `ServiceContext`'s generic subscript.
///
/// The subscript is compiled in another module without being specialized: every call looks up
/// type metadata at run time and casts the value dynamically, which is a measurable share of an
/// HTTP request whose span is not sampled (docs/performance.md). A `ServiceContext` is a value
/// type holding one dictionary from `AnyServiceContextKey` to `any Sendable`; this type reads
/// and writes that dictionary directly.
///
/// That layout is not public API, so it is checked once at start (``isUsable``): entries written
/// here must read back through the subscript and the other way round, other entries must stay
/// untouched, and removing must remove. If any check fails, every access takes the subscript.
///
/// ```swift
/// var context = ServiceContext.topLevel
/// SpanContextEntry.set(holder, in: &context)        // same as context[SpanContextKey.self] = holder
/// let read = SpanContextEntry.holder(in: context)    // same as context[SpanContextKey.self]
/// ```
enum SpanContextEntry {
    private typealias Entries = [AnyServiceContextKey: any Sendable]

    /// The dictionary key the subscript uses for ``SpanContextKey`` (its initializer is not
    /// public, so it is taken from a context the subscript wrote), or `nil` when the dictionary
    /// cannot be used directly (see the type's comment).
    private static let directKey: AnyServiceContextKey? = {
        guard MemoryLayout<ServiceContext>.size == MemoryLayout<Entries>.size,
            MemoryLayout<ServiceContext>.alignment == MemoryLayout<Entries>.alignment
        else { return nil }
        let probe = SpanContextHolder(SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(rawValue: 3)))
        var written = ServiceContext.topLevel
        written[SpanContextKey.self] = probe
        var found: AnyServiceContextKey?
        written.forEach { key, _ in found = key }
        guard let key = found else { return nil }

        var other = ServiceContext.topLevel
        other[ProbeKey.self] = 7
        // Written by the subscript, read here.
        var bySubscript = other
        bySubscript[SpanContextKey.self] = probe
        guard Self.directHolder(in: bySubscript, key: key) === probe, Self.directHolder(in: other, key: key) == nil else { return nil }
        // Written here, read by the subscript, the other entry kept, the original unchanged.
        var direct = other
        Self.directSet(probe, in: &direct, key: key)
        guard direct[SpanContextKey.self] === probe, direct[ProbeKey.self] == 7, direct.count == 2,
            other[SpanContextKey.self] == nil, other.count == 1
        else { return nil }
        // Removed here.
        Self.directSet(nil, in: &direct, key: key)
        guard direct[SpanContextKey.self] == nil, direct[ProbeKey.self] == 7, direct.count == 1 else { return nil }
        return key
    }()

    private enum ProbeKey: ServiceContextKey {
        typealias Value = Int
    }

    /// Whether the dictionary is used directly (see the type's comment).
    static var isUsable: Bool { Self.directKey != nil }

    /// The holder stored in `context`, if any.
    @inline(__always)
    static func holder(in context: ServiceContext) -> SpanContextHolder? {
        guard let key = Self.directKey else { return context[SpanContextKey.self] }
        return Self.directHolder(in: context, key: key)
    }

    /// Stores `holder` in `context` (`nil` removes the entry).
    @inline(__always)
    static func set(_ holder: SpanContextHolder?, in context: inout ServiceContext) {
        guard let key = Self.directKey else {
            context[SpanContextKey.self] = holder
            return
        }
        Self.directSet(holder, in: &context, key: key)
    }

    private static func directHolder(in context: ServiceContext, key: AnyServiceContextKey) -> SpanContextHolder? {
        let entries = unsafeBitCast(context, to: Entries.self)
        guard !entries.isEmpty, let value = entries[key] else { return nil }
        return value as? SpanContextHolder
    }

    private static func directSet(_ holder: SpanContextHolder?, in context: inout ServiceContext, key: AnyServiceContextKey) {
        var entries = unsafeBitCast(context, to: Entries.self)
        // Release the context's reference first, so that the dictionary is changed in place
        // when nothing else shares it.
        context = unsafeBitCast(Entries(), to: ServiceContext.self)
        if let holder {
            entries[key] = holder
        } else {
            entries.removeValue(forKey: key)
        }
        context = unsafeBitCast(entries, to: ServiceContext.self)
    }
}
