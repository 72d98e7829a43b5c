internal import CSpanLogFormat
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Cuts a block of lines into single lines and finds the lines that contain a byte string,
/// using the C library's vectorised `memchr`/`memmem`.
///
/// ```swift
/// LineSplitter.forEachLine(in: block, startingAt: 0) { line, offset in
///     print(offset, line.count)
/// }
/// ```
package enum LineSplitter {
    /// Calls `body` with every line of `block` (without its `\n`; blank lines skipped) and the
    /// line's offset, given that `block` starts at `offset`.
    package static func forEachLine(in block: UnsafeRawBufferPointer, startingAt offset: UInt64, _ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        guard let base = block.baseAddress else { return }
        var start = 0
        while start < block.count {
            let end: Int
            if let newline = memchr(base + start, 0x0A, block.count - start) {
                end = UnsafeRawPointer(newline) - base
            } else {
                end = block.count
            }
            var lineEnd = end
            if lineEnd > start, block[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if lineEnd > start {
                body(UnsafeRawBufferPointer(start: base + start, count: lineEnd - start), offset + UInt64(start))
            }
            start = end + 1
        }
    }

    /// Calls `body` with every line of `block` that contains `needle` (each line once, however
    /// often it holds the needle), without looking at any other line.
    package static func forEachLine(in block: UnsafeRawBufferPointer, startingAt offset: UInt64, containing needle: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        guard let base = block.baseAddress, let needleBase = needle.baseAddress, needle.count > 0 else { return }
        var searchFrom = 0
        while searchFrom < block.count {
            guard let hit = spanlog_memmem(base + searchFrom, block.count - searchFrom, needleBase, needle.count) else { return }
            let hitIndex = UnsafeRawPointer(hit) - base
            var lineStart = 0
            if hitIndex > 0, let previous = spanlog_memrchr(base, 0x0A, hitIndex) {
                lineStart = UnsafeRawPointer(previous) - base + 1
            }
            var lineEnd = block.count
            if let next = memchr(base + hitIndex, 0x0A, block.count - hitIndex) {
                lineEnd = UnsafeRawPointer(next) - base
            }
            searchFrom = lineEnd + 1
            var contentEnd = lineEnd
            if contentEnd > lineStart, block[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            body(UnsafeRawBufferPointer(start: base + lineStart, count: contentEnd - lineStart), offset + UInt64(lineStart))
        }
    }
}
