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
    /// The smallest gzip member: a 10-byte header, an empty deflate block (2 bytes) and the
    /// 8-byte trailer. Every block of an index is at least one member.
    package static let minimumMemberBytes: UInt64 = 20
    /// More than deflate's largest ratio (about 1032:1): a block cannot inflate to more than this
    /// many bytes per compressed byte.
    package static let maximumInflation: UInt64 = 2048

    /// The largest index a log file of `logFileBytes` bytes can have: the header and checksum, a
    /// table entry per block of at least ``minimumMemberBytes``, and Bloom filters of at most one
    /// word plus one word per compressed byte of their block — 68 + 11 × `logFileBytes` bounds
    /// it. A bigger file is not an index of that log file and is not read (saturating).
    package static func maximumIndexBytes(forLogFileBytes logFileBytes: UInt64) -> UInt64 {
        let (scaled, overflow) = logFileBytes.multipliedReportingOverflow(by: 11)
        let fixed = UInt64(Self.headerSize + 4)
        return overflow || scaled > UInt64.max - fixed ? UInt64.max : scaled + fixed
    }

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
