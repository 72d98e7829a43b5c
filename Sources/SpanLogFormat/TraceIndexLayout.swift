internal import CZlib

/// Constants of the index file format (docs/format.md, "Trace index files").
///
/// ```swift
/// TraceIndexLayout.sidecarPath(forLogFile: "logs/app-20261125T150405Z-0001.jsonl.gz")
/// // "logs/app-20261125T150405Z-0001.jsonl.gz.idx"
/// ```
package enum TraceIndexLayout {
    package static let magic = Array("SPANLIDX".utf8)
    package static let version = 1
    package static let headerSize = 64
    package static let blockEntrySize = 48
    package static let sidecarSuffix = ".idx"

    /// Where the index of `path` lives: beside it, with `.idx` appended.
    package static func sidecarPath(forLogFile path: String) -> String {
        path + Self.sidecarSuffix
    }

    /// CRC-32 (zlib's) of `bytes`.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { raw in
            var crc: UInt = crc32(0, nil, 0)
            var offset = 0
            while offset < raw.count {
                let count = min(raw.count - offset, 1 << 30)
                crc = crc32(crc, raw.baseAddress!.assumingMemoryBound(to: Bytef.self) + offset, uInt(count))
                offset += count
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }
}
