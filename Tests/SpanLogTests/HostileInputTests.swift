import Foundation
import Logging
import SpanLog
import SpanLogTesting
import Testing
import Tracing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 15's core findings: redaction by key shape, by value attribute and on spans; terminal
/// escapes in the text encoder; span limits and byte-bounded queues. Each test fails on the code
/// before the fix.
@Suite("Hostile input: redaction, escapes, limits")
struct HostileInputTests {
    // MARK: Redaction (finding 17)

    @Test("key shapes the exact list missed are redacted; keys that only contain a secret's name are not")
    func keyShapes() throws {
        let (logger, sink) = makeLogger()
        logger.info("x", metadata: [
            "x-auth-token": "t1", "db_password": "p1", "private_key": "k1", "privateKey": "k2", "AWS_SECRET_ACCESS_KEY": "k3",
            "sessionId": "s1", "X-Api-Key": "k4", "github_token": "t2", "userPassword": "p2",
            "authorization_hint": "keep1", "token_count": "keep2", "api_key_id": "keep3", "author": "keep4",
        ])
        let line = sink.lines[0]
        for secret in ["t1", "p1", "k1", "k2", "k3", "s1", "k4", "t2", "p2"] {
            #expect(!line.contains("\"\(secret)\""), "\(secret) leaked: \(line)")
        }
        for kept in ["keep1", "keep2", "keep3", "keep4"] {
            #expect(line.contains("\"\(kept)\""), "\(kept) was redacted: \(line)")
        }
        let filter = RedactionFilter()
        #expect(filter.isSensitive("X_AUTH_TOKEN") && filter.isSensitive("apiKey") && filter.isSensitive("APIKey"))
        #expect(!filter.isSensitive("") && !filter.isSensitive("---") && !filter.isSensitive("keys"))
        #expect(!RedactionFilter(keys: ["ssn"], words: []).isSensitive("db_password"))
    }

    @Test("a value interpolated as sensitive is redacted whatever its key; one marked public is kept under a sensitive key")
    func valueSensitivity() throws {
        for encoder in [JSONRecordEncoder() as any LogRecordEncoder, TextRecordEncoder()] {
            let (logger, sink) = makeLogger(encoder: encoder)
            let email = "ann@example.com"
            logger.info("login", metadata: [
                "email": "\(email, sensitivity: .sensitive)",
                "list": .array(["\(email, sensitivity: .sensitive)", "plain"]),
                "token_budget_public": "\(42, sensitivity: .public)",
                "password": "\("shown-on-purpose", sensitivity: .public)",
            ])
            let line = sink.lines[0]
            #expect(!line.contains(email), "\(line)")
            #expect(line.contains("plain") && line.contains("shown-on-purpose"), "\(line)")
            #expect(line.contains("[REDACTED]"))
        }
        // Through the filter (an exporter present) the same.
        let sink = InMemorySink()
        let pipeline = LogPipeline(outputs: [LogOutput(sinks: [sink])], exporters: [KeepingLogExporter()])
        pipeline.emit(LogRecord(level: .info, label: "t", message: "m", metadata: ["email": "\("ann@example.com", sensitivity: .sensitive)"]))
        #expect(!sink.lines[0].contains("ann@example.com"))
    }

    @Test("error.message is redacted when the rules name it (LOG_REDACT_KEYS), in log records and span status and events")
    func errorMessageRedaction() throws {
        struct LeakyError: Error, CustomStringConvertible { var description: String { "connect failed: password=hunter2" } }
        let configuration = TelemetryConfiguration.fromEnvironment(["LOG_REDACT_KEYS": "error.message,ssn"])
        #expect(configuration.redaction.isSensitive("ssn") && configuration.redaction.isSensitive("error.message"))
        for exporters in [[], [KeepingLogExporter()] as [any LogRecordExporter]] {
            let sink = InMemorySink()
            let pipeline = LogPipeline(filters: [TraceIdFilter(), configuration.redaction], outputs: [LogOutput(sinks: [sink])], exporters: exporters)
            pipeline.emit(LogRecord(level: .error, label: "t", message: "m", error: LeakyError()))
            let object = try #require(parseJSONObject(sink.lines[0]))
            #expect(object["error.message"] as? String == "[REDACTED]")
            #expect((object["error.type"] as? String)?.hasSuffix("LeakyError") == true, "\(object)")
        }
        let sink = InMemorySink()
        let tracer = SpanLogTracer(
            configuration: .init(sampler: ConstantSampler(.recordAndSample), redaction: configuration.redaction),
            logPipeline: LogPipeline(sinks: [sink])
        )
        tracer.withSpan("op") { span in
            span.attributes["ssn"] = "123-45-6789"
            span.recordError(LeakyError())
        }
        let line = try #require(sink.lines.first)
        #expect(!line.contains("hunter2") && !line.contains("123-45-6789"), "\(line)")
    }

    @Test("span attributes, event attributes and link attributes are redacted in span records and exports")
    func spanRedaction() async throws {
        let (tracer, sink, exporter, _) = makeTracer()
        tracer.withSpan("login") { span in
            span.attributes["http.request.header.authorization"] = "Bearer abc"
            span.attributes["db_password"] = "p1"
            span.attributes["user.id"] = "42"
            span.addEvent(SpanEvent(name: "retry", attributes: ["x-auth-token": "t1"]))
        }
        await tracer.processor?.forceFlush()
        let line = try #require(sink.lines.first { $0.contains("\"record\":\"span\"") })
        #expect(!line.contains("Bearer abc") && !line.contains("\"p1\"") && !line.contains("\"t1\""), "\(line)")
        #expect(line.contains("\"42\""))
        let exported = try #require(exporter?.exported.first)
        #expect(exported.attributes["db_password"]?.toSpanAttribute() == .string("[REDACTED]"))
        #expect(exported.events.first?.attributes["x-auth-token"]?.toSpanAttribute() == .string("[REDACTED]"))
    }

    // MARK: Far-off times (finding 2, the writer's side)

    @Test("spans ended past 2262 and started before 1678 reach the file and its index: the writer thread saturates, never traps")
    func farOffSpanTimes() throws {
        let directory = try FileSinkTestSupport.makeTemporaryDirectory("far-times")
        defer { FileSinkTestSupport.removeTree(directory) }
        let fileSink = RotatingGzipFileSink(configuration: .init(directory: directory, fileName: "far"))
        let tracer = SpanLogTracer(configuration: .init(sampler: ConstantSampler(.recordAndSample)), logPipeline: LogPipeline(sinks: [fileSink]))
        let late = tracer.startSpan("late", context: .topLevel)
        late.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: .max))
        let early = tracer.startSpan("early", context: .topLevel, at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 0))
        early.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1))
        let logger = Logger(label: "far") { SpanLogHandler(label: $0, pipeline: LogPipeline(sinks: [fileSink])) }
        logger.info("after the far spans")
        fileSink.shutdown()
        let file = try #require(FileSinkTestSupport.logFiles(directory).last)
        #expect(try FileSinkTestSupport.gzipTest(file))
        let text = try FileSinkTestSupport.zcat(file)
        #expect(text.contains("\"name\":\"late\"") && text.contains("2262-04-11T23:47:16.854775807Z"), "\(text)")
        #expect(text.contains("\"name\":\"early\"") && text.contains("after the far spans"))
        #expect(FileManager.default.fileExists(atPath: file + ".idx"))
    }

    // MARK: Terminal escapes (finding 16)

    @Test("the text encoder escapes C1 controls (CSI, OSC) as well as C0, in log and span lines")
    func textEncoderEscapesC1() throws {
        let (logger, sink) = makeLogger(encoder: TextRecordEncoder())
        logger.info("red \u{9B}31m \u{1B}[2J", metadata: ["osc": "\u{9D}0;title\u{07}", "nested": ["k": "\u{9B}1m"]])
        let line = sink.lines[0]
        #expect(!line.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F }, "\(line.debugDescription)")
        #expect(line.contains("\\u009b31m") && line.contains("\\u009d0;title"))
        let span = SpanRecord(
            name: "op\u{9B}", context: randomSpanContext(), start: RecordTime(nanosecondsSinceEpoch: 0), end: RecordTime(nanosecondsSinceEpoch: 1000),
            status: SpanStatus(code: .error, message: "bad\u{9D}"), attributes: ["k": "\u{9B}v"], resource: SpanLogResource(serviceName: "s")
        )
        var buffer = RecordBuffer()
        TextRecordEncoder().encode(span, into: &buffer)
        let text = String(decoding: buffer.bytes, as: UTF8.self)
        #expect(!text.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }, "\(text.debugDescription)")
    }

    // MARK: Span limits and byte bounds (finding 7)

    @Test("events, links and attributes over the limits are dropped and counted; long values are cut on a character boundary")
    func spanLimits() async throws {
        let sink = InMemorySink()
        let exporter = InMemorySpanExporter()
        let tracer = SpanLogTracer(
            configuration: .init(
                sampler: ConstantSampler(.recordAndSample),
                batching: .init(scheduleDelayMilliseconds: 10),
                limits: SpanLimits(attributeCountLimit: 4, attributeValueLengthLimit: 5, eventCountLimit: 3, linkCountLimit: 1)
            ),
            logPipeline: LogPipeline(sinks: [sink]),
            exporter: exporter
        )
        tracer.withSpan("big") { span in
            for index in 0..<10 { span.attributes["a\(index)"] = "value-\(index)" }
            span.attributes["a0"] = "ééééé"  // 10 bytes: cut to 2 characters (4 bytes), not mid-character
            for index in 0..<10_000 { span.addEvent(SpanEvent(name: "e\(index)")) }
            for _ in 0..<5 { span.addLink(SpanLink(context: ServiceContext.topLevel.withSpanContext(randomSpanContext()), attributes: [:])) }
        }
        await tracer.processor?.forceFlush()
        let record = try #require(exporter.exported.first)
        #expect(record.attributes.count == 4)
        #expect(record.droppedAttributeCount == 6)
        #expect(record.attributes["a0"]?.toSpanAttribute() == .string("éé"))
        #expect(record.events.count == 3 && record.droppedEventCount == 9_997)
        #expect(record.links.count == 1 && record.droppedLinkCount == 4)
        let spanLine = try #require(sink.lines.first)
        let object = try #require(parseJSONObject(spanLine))
        #expect(object["dropped_events"] as? Int == 9_997)
        #expect(object["dropped_attributes"] as? Int == 6)
        #expect(object["dropped_links"] as? Int == 4)
        await tracer.shutdown()
    }

    @Test("OTEL_SPAN_*_LIMIT variables are read with ranges")
    func spanLimitVariables() {
        let configuration = TelemetryConfiguration.fromEnvironment([
            "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT": "16", "OTEL_SPAN_EVENT_COUNT_LIMIT": "99999999999999999999",
            "OTEL_SPAN_LINK_COUNT_LIMIT": "2", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT": "100", "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT": "50",
        ])
        #expect(configuration.spanLimits == SpanLimits(attributeCountLimit: 16, attributeValueLengthLimit: 50, eventCountLimit: 128, linkCountLimit: 2))
        #expect(configuration.warnings.contains { $0.hasPrefix("OTEL_SPAN_EVENT_COUNT_LIMIT=99999999999999999999 is not an integer from 0 to 100000") })
    }

    @Test("the batch span processor's queue is bounded by bytes: large spans are dropped and counted")
    func processorBoundedByBytes() async throws {
        let gate = GatedSpanExporter()
        let processorLimit = 1 << 20
        let tracer = SpanLogTracer(
            configuration: .init(
                sampler: ConstantSampler(.recordAndSample),
                batching: .init(scheduleDelayMilliseconds: 10_000, maxQueueSize: 2048, maxExportBatchSize: 512, maxQueueBytes: processorLimit)
            ),
            exporter: gate
        )
        let big = String(repeating: "x", count: 100_000)
        for _ in 0..<100 {
            tracer.withSpan("big") { $0.attributes["payload"] = big }
        }
        let statistics = try #require(tracer.processor?.statistics)
        // About ten 100 kB spans fit in 1 MiB; the other ninety are dropped, not queued.
        #expect(statistics.dropped >= 85, "\(statistics)")
        gate.open()
        await tracer.shutdown()
        #expect(gate.received <= 11)
    }

    @Test("the tail sampler is bounded by bytes and evicts the oldest trace first, in O(1) per span")
    func tailSamplerBoundedByBytes() async throws {
        let exporter = InMemorySpanExporter()
        let tracer = SpanLogTracer(
            configuration: .init(
                sampler: ParentBasedSampler(root: TraceIDRatioSampler(ratio: 0)),
                logSpans: .none,
                tailSampling: .init(slowThresholdMilliseconds: 60_000, maxPendingTraces: 4096, maxPendingSpans: 1_000_000, maxPendingBytes: 1 << 20)
            ),
            exporter: exporter
        )
        let tail = try #require(tracer.tailSampler)
        // Children of roots that have not ended wait in the tail sampler.
        let big = String(repeating: "y", count: 50_000)
        var roots: [SpanLogSpan] = []
        for _ in 0..<100 {
            let root = tracer.startSpan("root", context: .topLevel)
            tracer.withSpan("child", context: root.context) { $0.attributes["payload"] = big }
            roots.append(root)
        }
        #expect(tail.statistics.evictedSpans >= 75, "\(tail.statistics)")
        #expect(tail.pendingSpanCount <= 21)
        // The newest traces are the ones kept: an error in the last root exports its child.
        roots.last?.setStatus(SpanStatus(code: .error))
        for root in roots { root.end() }
        await tracer.processor?.forceFlush()
        #expect(exporter.exported.filter { $0.name == "child" }.count == 1)

        // Many small traces over the trace limit: eviction stays cheap.
        let start = ContinuousClock.now
        for _ in 0..<100_000 {
            let root = tracer.startSpan("root", context: .topLevel)
            tracer.withSpan("child", context: root.context) { _ in }
            _ = root  // never ended: its trace waits until evicted
        }
        let elapsed = ContinuousClock.now - start
        #expect(tail.pendingSpanCount <= 4096)
        #expect(elapsed < .seconds(10), "100k offers over a 4096-trace limit took \(elapsed)")
        await tracer.shutdown()
    }
}

/// A span exporter that holds every export until ``open()``.
final class GatedSpanExporter: SpanExporter, @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private var count = 0
    var received: Int { self.lock.withLock { self.count } }
    func open() { self.lock.withLock { self.isOpen = true } }
    func export(_ batch: [SpanRecord]) async throws {
        while !self.lock.withLock({ self.isOpen }) { try await Task.sleep(for: .milliseconds(5)) }
        self.lock.withLock { self.count += batch.count }
    }
}

/// A log exporter that counts what it is given (so the pipeline runs its filters as filters).
final class KeepingLogExporter: LogRecordExporter, @unchecked Sendable {
    private let lock = NSLock()
    private var records = 0
    var count: Int { self.lock.withLock { self.records } }
    func export(_ record: LogRecord) { self.lock.withLock { self.records += 1 } }
    func flush() async {}
    func shutdown() async {}
}

extension ServiceContext {
    /// This context with `spanContext` as its span context.
    func withSpanContext(_ spanContext: SpanContext) -> ServiceContext {
        var context = self
        context.spanContext = spanContext
        return context
    }
}
