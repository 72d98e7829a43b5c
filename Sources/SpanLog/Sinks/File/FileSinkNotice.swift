import Logging

/// The warning records the file sink writes into its own files: repairs and outages (drops use
/// ``DropNotice``).
enum FileSinkNotice {
    static func jsonLine(_ message: String, metadata: Logger.Metadata, now: RecordTime) -> [UInt8] {
        let record = LogRecord(timestamp: now, level: .warning, label: "spanlog", message: "\(message)", metadata: metadata)
        var buffer = RecordBuffer(capacity: 512)
        JSONRecordEncoder().encode(record, into: &buffer)
        return buffer.bytes
    }
}
