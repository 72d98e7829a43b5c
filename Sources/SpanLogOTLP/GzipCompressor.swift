import CZlib

/// Compresses a request body into one gzip member (`Content-Encoding: gzip`), with zlib through
/// the package's `CZlib` target. One `z_stream` is kept and reset between bodies.
///
/// ```swift
/// let compressor = GzipCompressor()
/// let compressed = try compressor.compress(body)
/// ```
final class GzipCompressor {
    /// zlib refused to initialise or to compress.
    struct Failure: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "zlib error \(self.code)" }
    }

    private var stream = z_stream()
    private let initialised: Bool

    /// Creates a compressor at zlib's default level (6).
    init(level: Int32 = Z_DEFAULT_COMPRESSION) {
        // 15 window bits, +16 for a gzip header and trailer.
        self.initialised = spanlog_deflateInit2(&self.stream, level, 15 + 16, 8) == Z_OK
    }

    deinit {
        if self.initialised { deflateEnd(&self.stream) }
    }

    /// `input` as one gzip member.
    func compress(_ input: [UInt8]) throws -> [UInt8] {
        guard self.initialised else { throw Failure(code: Z_STREAM_ERROR) }
        defer { deflateReset(&self.stream) }
        let bound = Int(deflateBound(&self.stream, uLong(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var input = input
        let result: Int32 = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                self.stream.next_in = source.baseAddress
                self.stream.avail_in = uInt(source.count)
                self.stream.next_out = destination.baseAddress
                self.stream.avail_out = uInt(destination.count)
                let code = deflate(&self.stream, Z_FINISH)
                self.stream.next_in = nil
                self.stream.next_out = nil
                return code
            }
        }
        guard result == Z_STREAM_END else { throw Failure(code: result) }
        output.removeLast(Int(self.stream.avail_out))
        return output
    }
}
