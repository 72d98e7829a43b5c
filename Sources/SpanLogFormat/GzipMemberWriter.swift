internal import CZlib

/// One zlib deflate stream that turns bytes into a sequence of complete gzip members: the file
/// sink's members and the OTLP exporter's `Content-Encoding: gzip` bodies.
///
/// Records are compressed as they arrive (`Z_NO_FLUSH`); ``finishMember(into:)`` ends the member
/// with `Z_FINISH`, appends its bytes to the caller's buffer and resets the stream for the next
/// member with `deflateReset`, so the deflate state is allocated once per writer. Concatenated
/// members are one valid (multi-member) gzip file, which is what lets every flush leave a whole
/// file on disk.
///
/// Owned by one thread (the sink's writer), or used under a lock; not thread-safe.
///
/// ```swift
/// let gzip = GzipMemberWriter(level: 1)
/// gzip.append(Array("{\"record\":\"log\"}\n".utf8))
/// var file: [UInt8] = []
/// gzip.finishMember(into: &file)                  // one whole member, ready for one write(2)
/// let body = gzip.member(of: payload)             // a whole member in one call
/// ```
package final class GzipMemberWriter {
    private let stream: UnsafeMutablePointer<z_stream>
    private let chunk: UnsafeMutableRawBufferPointer
    /// Compressed bytes of the current member produced so far (the stream holds back more).
    package private(set) var output: [UInt8] = []
    /// Uncompressed bytes given to the current member.
    package private(set) var memberInputBytes = 0

    /// - Parameter level: zlib compression level, 1 (fastest) to 9 (smallest).
    package init(level: Int) {
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        self.chunk = .allocate(byteCount: 64 * 1024, alignment: 16)
        // windowBits 15 + 16: a gzip header and trailer around the deflate data; memLevel 8 is
        // zlib's default.
        let result = spanlog_deflateInit2(self.stream, Int32(min(max(level, 1), 9)), 15 + 16, 8)
        precondition(result == Z_OK, "SpanLog could not initialise zlib (deflateInit2: \(result))")
    }

    deinit {
        deflateEnd(self.stream)
        self.stream.deinitialize(count: 1)
        self.stream.deallocate()
        self.chunk.deallocate()
    }

    /// True when the current member holds records.
    package var hasMemberData: Bool { self.memberInputBytes > 0 }

    /// Compresses `bytes` into the current member.
    package func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        self.memberInputBytes += bytes.count
        self.stream.pointee.next_in = UnsafeMutablePointer(
            mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self))
        self.stream.pointee.avail_in = uInt(bytes.count)
        while self.stream.pointee.avail_in > 0 {
            _ = self.deflateStep(flush: Z_NO_FLUSH)
        }
        self.stream.pointee.next_in = nil
    }

    /// Compresses `bytes` into the current member.
    package func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { self.append($0) }
    }

    /// Ends the current member (`Z_FINISH`), appends all of its bytes to `buffer`, and starts a
    /// new member. Does nothing when the member is empty.
    package func finishMember(into buffer: inout [UInt8]) {
        guard self.hasMemberData else { return }
        self.finish()
        buffer.append(contentsOf: self.output)
        self.output.removeAll(keepingCapacity: self.output.capacity <= 4 << 20)
    }

    /// `bytes` as one whole gzip member (an empty member for empty bytes), on a stream of its
    /// own: call it only while no member is being appended to.
    package func member(of bytes: [UInt8]) -> [UInt8] {
        precondition(!self.hasMemberData, "GzipMemberWriter.member(of:) while a member is open")
        self.append(bytes)
        self.finish()
        var member: [UInt8] = []
        swap(&member, &self.output)
        return member
    }

    /// Ends the member into `output` and resets the stream for the next one.
    private func finish() {
        self.stream.pointee.next_in = nil
        self.stream.pointee.avail_in = 0
        while self.deflateStep(flush: Z_FINISH) != Z_STREAM_END {}
        self.memberInputBytes = 0
        let reset = deflateReset(self.stream)
        precondition(reset == Z_OK, "SpanLog: deflateReset failed (\(reset))")
    }

    /// One deflate call into the chunk buffer; its output is appended to `output`.
    private func deflateStep(flush: Int32) -> Int32 {
        self.stream.pointee.next_out = self.chunk.baseAddress!.assumingMemoryBound(to: Bytef.self)
        self.stream.pointee.avail_out = uInt(self.chunk.count)
        let result = deflate(self.stream, flush)
        // Z_BUF_ERROR only means "no progress possible", which the loops above never ask for;
        // anything else is a broken stream, a programming error.
        precondition(result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR,
                     "SpanLog: deflate failed (\(result))")
        let produced = self.chunk.count - Int(self.stream.pointee.avail_out)
        if produced > 0 {
            self.output.append(contentsOf: UnsafeRawBufferPointer(rebasing: self.chunk[0..<produced]))
        }
        return result
    }
}
