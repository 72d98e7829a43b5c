import Foundation
import Logging
import SpanLog
import SpanLogReader
import Tracing

/// A request traced the way the demo traces one, written by the real pipeline — `SpanLogTracer`
/// with `logSpans: .all`, `SpanLogHandler`, `JSONRecordEncoder` — into gzip files of the real
/// `RotatingGzipFileSink`: a server span `http.server GET /users/{id}` with two outgoing calls
/// (`http.client`) and a second `http.server` span (`POST /orders`, an error), log records
/// before, between and after them.
final class DemoTraceFiles {
    let directory: TemporaryDirectory
    let traceID: String
    /// The files the sink wrote (gzip, in reading order).
    let files: [String]
    /// The messages, in the order they were logged.
    static let messages = ["request received", "calling users-api", "users-api answered", "order rejected", "response sent"]

    init() throws {
        self.directory = try TemporaryDirectory("spanlog-demo-files")
        let sink = RotatingGzipFileSink(configuration: .init(directory: self.directory.path, fileName: "demo", flushIntervalMilliseconds: 5))
        let pipeline = LogPipeline(levels: LevelFilter(default: .trace), sinks: [sink])
        let tracer = SpanLogTracer(
            configuration: .init(resource: SpanLogResource(serviceName: "checkout"), sampler: ConstantSampler(.recordAndSample), logSpans: .all),
            logPipeline: pipeline
        )
        let api = Logger(label: "api") { SpanLogHandler(label: $0, pipeline: pipeline) }
        let client = Logger(label: "users-client") { SpanLogHandler(label: $0, pipeline: pipeline) }
        func pause() { usleep(3_000) }
        var traceID = ""
        tracer.startSpan("http.server", attributes: ["http.request.method": "GET", "http.route": "/users/{id}", "http.response.status_code": 200], ofKind: .server) { span in
            traceID = span.spanContext.traceID.description
            api.info("request received", metadata: ["user": "42"])
            pause()
            tracer.startSpan("http.client", attributes: ["http.request.method": "GET", "server.address": "users-api"], ofKind: .client) { _ in
                client.debug("calling users-api")
                pause()
            }
            pause()
            api.info("users-api answered")
            pause()
            // A thrown error ends the span with status error (withSpan records it).
            try? tracer.startSpan("http.server", attributes: ["http.method": "POST", "http.route": "/orders"], ofKind: .server) { _ in
                pause()
                api.error("order rejected", metadata: ["reason": "<script>alert(1)</script>"])
                pause()
                throw OrderRejected()
            }
            pause()
            tracer.startSpan("http.client", attributes: ["http.request.method": "GET", "server.address": "stock-api"], ofKind: .client) { _ in
                pause()
            }
            api.notice("response sent")
        }
        sink.shutdown()
        self.traceID = traceID
        self.files = LogFileSet(paths: [self.directory.path]).files
    }

    struct OrderRejected: Error {}

    /// The trace, read back by the reader.
    func tree() -> TraceTree {
        let records = LogScanner(files: self.files, issues: { _ in }).records(ofTrace: self.traceID)
        return TraceTree(traceID: self.traceID, records: records)
    }
}
