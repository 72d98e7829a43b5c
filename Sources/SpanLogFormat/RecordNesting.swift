/// The one nesting limit of a record line, shared by the writer and the reader: a record is at
/// most ``maximumDepth`` objects and arrays deep, its own object included. The writer stops a
/// metadata value at ``maximumMetadataDepth`` levels (a top-level value may sit in the `meta`
/// object, one level down) and writes ``truncationMarker`` in place of what is deeper, so every
/// line it writes is one the reader accepts; the reader refuses deeper lines from elsewhere.
/// Every walk over nested values is recursive only up to this bound, so no record can exhaust a
/// thread's stack.
///
/// ```swift
/// // logger.info("deep", metadata: ["a": ["b": [… 100 levels …]]])
/// // {"…","a":{"b":{… 62 levels …:"[truncated: nested deeper than 64 levels]"}}}
/// ```
package enum RecordNesting {
    /// Objects and arrays a record line may nest, its own object included.
    package static let maximumDepth = 64
    /// Containers a metadata value may nest below a record's own object and its `meta` object.
    package static let maximumMetadataDepth = maximumDepth - 2
    /// What stands in for a value nested deeper than ``maximumMetadataDepth``.
    package static let truncationMarker = "[truncated: nested deeper than 64 levels]"
}
