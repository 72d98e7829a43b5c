import CZlib
import Foundation
import Instrumentation
import Logging
import SpanLog
import SpanLogTesting
import SpanLogReader
import Synchronization
import Testing

/// A temporary directory removed when the test is done with it.
final class TemporaryDirectory {
    let url: URL
    var path: String { self.url.path }

    init(_ name: String = "spanlog-reader") throws {
        self.url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: self.url)
    }

    func file(_ name: String) -> String { self.url.appendingPathComponent(name).path }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: self.url.appendingPathComponent(name))
    }

    func append(_ name: String, _ bytes: [UInt8]) throws {
        let handle = try FileHandle(forWritingTo: self.url.appendingPathComponent(name))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }
}

/// One gzip member holding `text`, compressed with zlib as the file sink does.
func gzipMember(_ text: String) -> [UInt8] {
    var stream = z_stream()
    precondition(spanlog_deflateInit2(&stream, 6, 15 + 16, 8) == Z_OK)
    defer { deflateEnd(&stream) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
    let produced = input.withUnsafeMutableBytes { inBytes in
        output.withUnsafeMutableBytes { outBytes in
            stream.next_in = inBytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(inBytes.count)
            stream.next_out = outBytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(outBytes.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return outBytes.count - Int(stream.avail_out)
        }
    }
    return Array(output.prefix(produced))
}

/// A gzip file of several members, `linesPerMember` lines each.
func gzipFile(_ lines: [String], linesPerMember: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = 0
    while index < lines.count {
        let chunk = lines[index..<min(lines.count, index + linesPerMember)]
        bytes += gzipMember(chunk.map { $0 + "\n" }.joined())
        index += linesPerMember
    }
    return bytes
}

/// Fresh random ids.
func randomHex(_ digits: Int) -> String {
    var text = ""
    while text.count < digits { text += String(UInt64.random(in: 0...UInt64.max), radix: 16) }
    var result = String(text.suffix(digits))
    if result.allSatisfy({ $0 == "0" }) { result = "1" + result.dropFirst() }
    while result.count < digits { result = "0" + result }
    return result
}

/// Records made through the real SpanLog pipeline (SpanLogHandler → filters → JSONRecordEncoder
/// → sink), with span contexts set the way the tracer sets them.
final class RecordMaker {
    let sink = InMemorySink()
    let logger: Logger
    let pipeline: LogPipeline

    /// Records go to ``sink`` and to `extraSinks`.
    init(label: String = "api", extraSinks: [any LogSink] = []) {
        let pipeline = LogPipeline(levels: LevelFilter(default: .trace), sinks: [self.sink] + extraSinks)
        self.pipeline = pipeline
        self.logger = Logger(label: label) { SpanLogHandler(label: $0, pipeline: pipeline) }
    }

    /// Logs inside `span` (trace id, span id) — or outside any span when nil — and returns the line.
    @discardableResult
    func log(_ level: Logger.Level, _ message: String, in span: (trace: String, span: String)?, metadata: Logger.Metadata = [:]) -> String {
        let before = self.sink.lines.count
        if let span {
            var context = ServiceContext.topLevel
            context.spanContext = SpanContext(traceID: TraceID(hex: span.trace)!, spanID: SpanID(hex: span.span)!, traceFlags: .sampled)
            ServiceContext.withValue(context) {
                self.logger.log(level: level, "\(message)", metadata: metadata)
            }
        } else {
            self.logger.log(level: level, "\(message)", metadata: metadata)
        }
        let lines = self.sink.lines
        precondition(lines.count == before + 1)
        return lines[before]
    }
}

/// A span record exactly as docs/format.md describes it.
func spanRecord(
    trace: String, span: String, parent: String?, name: String, start: RecordTime, durationMilliseconds: Int64,
    status: String = "ok", kind: String = "internal", attributes: String = "{}", events: String = "[]"
) -> String {
    let end = start + durationMilliseconds * 1_000_000
    let parentField = parent.map { "\"parent_span_id\":\"\($0)\"," } ?? ""
    let level = status == "error" ? "error" : "info"
    return #"{"timestamp":"\#(end.rfc3339)","record":"span","level":"\#(level)","name":"\#(name)","kind":"\#(kind)","trace_id":"\#(trace)","span_id":"\#(span)",\#(parentField)"trace_flags":"01","start":"\#(start.rfc3339)","end":"\#(end.rfc3339)","duration_ns":\#(durationMilliseconds * 1_000_000),"status":"\#(status)","service":"checkout","attributes":\#(attributes),"events":\#(events),"links":[]}"#
}

/// A log record written by hand (for times the pipeline cannot produce).
func logRecord(at time: RecordTime, level: String = "info", message: String, trace: String?, span: String?, extra: String = "") -> String {
    var ids = ""
    if let trace { ids += #","trace_id":"\#(trace)""# }
    if let span { ids += #","span_id":"\#(span)""# }
    return #"{"timestamp":"\#(time.rfc3339)","record":"log","level":"\#(level)","logger":"api","message":"\#(message)"\#(ids)\#(extra)}"#
}

/// Collects read issues.
final class IssueLog: Sendable {
    private let storage = Mutex<[ReadIssue]>([])
    var issues: [ReadIssue] { self.storage.withLock { $0 } }
    var handler: ReadIssueHandler { { [self] issue in self.storage.withLock { $0.append(issue) } } }
}

/// Rotated file names in time order.
func rotatedName(_ index: Int, name: String = "app") -> String {
    "\(name)-20261125T15\(String(format: "%02d", index))00Z-\(String(format: "%04d", index + 1)).jsonl.gz"
}
