@testable import SpanLogReader

/// The reader's JSON parser (`SpanLogReader/JSON`) and the record decoding on top of it.
///
/// The input is taken twice: as one JSON text, which when it parses must survive
/// `JSONWriter` → parse unchanged; and as the lines of a log file, each decoded as a `LogLine`
/// whose every accessor is read.
enum JSONTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        if let value = try? JSONParser.parse(input) {
            let written = JSONWriter.string(value)
            guard let again = try? JSONParser.parse(written) else {
                fatalError("property violated: JSONWriter's output does not parse: \(written.debugDescription)")
            }
            require(again == value, "write → parse changed the value: \(written.debugDescription)")
            require(JSONWriter.string(again) == written, "writing is not stable: \(written.debugDescription)")
        }
        LineSplitter.forEachLine(in: input, startingAt: 0) { line, offset in
            guard let record = try? LogLine(bytes: line, location: .init(fileIndex: 0, offset: offset)) else { return }
            self.readEveryField(of: record)
        }
    }

    /// Reads what `spanlog` reads of a record: kind, level, times, ids, the span's parts, and
    /// every field by `--field` lookup (top-level, attribute and dotted paths).
    static func readEveryField(of record: LogLine) {
        _ = record.kind
        _ = record.level
        _ = record.timestamp?.nanosecondsSinceEpoch
        _ = record.traceID
        _ = record.spanID
        _ = record.parentSpanID
        _ = record.message
        _ = record.name
        _ = record.status
        _ = record.durationNanoseconds
        _ = record.isError
        _ = record.events.count
        var keys = record.fields.keys + record.attributes.keys
        for member in record.fields.members {
            _ = member.value.plainText
            _ = member.value.int64
            _ = member.value.double
            if let nested = member.value.object?.keys.first { keys.append(member.key + "." + nested) }
        }
        for key in keys { _ = record.value(forField: key) }
    }
}
