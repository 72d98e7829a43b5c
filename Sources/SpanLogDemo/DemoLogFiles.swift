import CZlib
import Foundation

/// Reads the demo's rotating gzip log files back (multi-member gzip, in name order) as JSON
/// objects. A small reader of its own, so the demo depends on nothing but SpanLog.
enum DemoLogFiles {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Every record in the `.jsonl.gz` and `.jsonl` files of `directory`, oldest file first.
    static func records(in directory: String) throws -> [[String: Any]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".jsonl.gz") || $0.hasSuffix(".jsonl") }
            .sorted()
        var records: [[String: Any]] = []
        for name in names {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ReadError(description: "cannot read \(path)")
            }
            let bytes = [UInt8](data)
            let text = name.hasSuffix(".gz") ? try Self.gunzip(bytes) : bytes
            for line in text.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] {
                    records.append(object)
                }
            }
        }
        return records
    }

    /// Decompresses every gzip member of `bytes`; a torn last member ends the data silently.
    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        guard !bytes.isEmpty else { return output }
        var stream = z_stream()
        guard spanlog_inflateInit2(&stream, 15 + 16) == Z_OK else { throw ReadError(description: "inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        try bytes.withUnsafeBufferPointer { input in
            var offset = 0
            while offset < input.count {
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                stream.avail_in = UInt32(input.count - offset)
                var status: Int32 = Z_OK
                repeat {
                    let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = UInt32(out.count)
                        status = inflate(&stream, Z_NO_FLUSH)
                        return out.count - Int(stream.avail_out)
                    }
                    output.append(contentsOf: chunk[0..<produced])
                } while status == Z_OK && stream.avail_in > 0
                let consumed = (input.count - offset) - Int(stream.avail_in)
                offset += consumed
                if status == Z_STREAM_END {
                    inflateReset(&stream)  // the next member
                } else if status == Z_BUF_ERROR || status == Z_OK {
                    return  // a torn last member
                } else {
                    throw ReadError(description: "corrupt gzip data (zlib status \(status))")
                }
            }
        }
        return output
    }
}
