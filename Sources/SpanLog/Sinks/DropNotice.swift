import Logging

/// The warning record a sink writes, in its own stream, when its queue dropped records.
enum DropNotice {
    static func jsonLine(dropped: UInt64, sink: String, now: RecordTime = .now()) -> [UInt8] {
        let record = LogRecord(
            timestamp: now,
            level: .warning,
            label: "spanlog",
            message: "SpanLog dropped \(dropped) log records: the \(sink) sink's queue was full (LOG_QUEUE_POLICY=drop)",
            metadata: ["spanlog.dropped_records": .stringConvertible(dropped), "spanlog.sink": .string(sink)]
        )
        var buffer = RecordBuffer(capacity: 256)
        JSONRecordEncoder().encode(record, into: &buffer)
        return buffer.bytes
    }
}
