import Instrumentation

/// Reads ``SpanContext/current`` for every log record without a dictionary lookup when the task's
/// `ServiceContext` is the one the thread saw last.
///
/// A `ServiceContext` is a value type holding one copy-on-write dictionary. Two contexts whose
/// storage is the same object hold the same entries, as long as that object stays alive (so its
/// address cannot be reused) and it is shared (so nobody mutates it in place): the cache keeps a
/// copy of the context it saw, which ensures both. Each thread remembers one context and the span
/// context read from it; the next record made in the same context (the common case: many records
/// per span) compares one word instead of hashing a key, probing a dictionary and casting.
///
/// The shortcut depends on `ServiceContext` being one reference wide with value semantics; that is
/// checked once at start (``isUsable``) and, if it ever stops being true, every read takes the
/// ordinary path. The remembered context keeps its values (e.g. a finished span's storage)
/// alive until the thread logs in another context or exits.
///
/// ```swift
/// let ids = CurrentSpanContextCache.current()   // same as SpanContext.current
/// ```
enum CurrentSpanContextCache {
    private final class Entry {
        var context: ServiceContext?
        var spanContext: SpanContext?
    }

    private static let perThread = ThreadLocalObject { Entry() }

    /// Whether contexts can be compared by their storage's identity (see the type's comment).
    static let isUsable: Bool = {
        guard MemoryLayout<ServiceContext>.size == MemoryLayout<UnsafeRawPointer>.size else { return false }
        var original = ServiceContext.topLevel
        original[ProbeKey.self] = 1
        let copy = original
        var changed = original
        changed[ProbeKey.self] = 2
        return storage(of: copy) == storage(of: original) && storage(of: changed) != storage(of: original)
            && original[ProbeKey.self] == 1 && changed[ProbeKey.self] == 2
    }()

    private enum ProbeKey: ServiceContextKey {
        typealias Value = Int
    }

    @inline(__always)
    private static func storage(of context: ServiceContext) -> UInt {
        unsafeBitCast(context, to: UInt.self)
    }

    /// The span context of the current task.
    @inline(__always)
    static func current() -> SpanContext? {
        guard let context = ServiceContext.current else { return nil }
        guard Self.isUsable else { return SpanContextEntry.holder(in: context)?.spanContext }
        let entry = Self.perThread.value
        if let seen = entry.context, Self.storage(of: seen) == Self.storage(of: context) {
            return entry.spanContext
        }
        let spanContext = SpanContextEntry.holder(in: context)?.spanContext
        entry.context = context
        entry.spanContext = spanContext
        return spanContext
    }
}
