import Foundation
import Logging
import SpanLog
import SpanLogTesting
import Synchronization
import Testing
import Tracing

@Suite("SpanLogTracer: context, span records, exporters")
struct TracerTests {
    @Test("log records inside withSpan carry that span's ids; nested spans get the right parent")
    func correlationAndParents() async throws {
        let (tracer, sink, exporter, logger) = makeTracer()
        var outerContext: SpanContext?
        var innerContext: SpanContext?
        tracer.withSpan("outer") { outer in
            outerContext = outer.spanContext
            logger.info("in outer")
            tracer.withSpan("inner") { inner in
                innerContext = inner.spanContext
                logger.info("in inner")
            }
            logger.info("back in outer")
        }
        let outer = try #require(outerContext)
        let inner = try #require(innerContext)
        #expect(inner.traceID == outer.traceID)
        #expect(inner.parentSpanID == outer.spanID)
        #expect(outer.parentSpanID == nil)
        let logs = sink.lines.compactMap(parseJSONObject).filter { $0["record"] as? String == "log" }
        #expect(logs.map { $0["span_id"] as? String } == [outer.spanID.description, inner.spanID.description, outer.spanID.description])
        #expect(logs.allSatisfy { $0["trace_id"] as? String == outer.traceID.description })
        await tracer.processor?.forceFlush()
        let exported = try #require(exporter?.exported)
        #expect(exported.map(\.name) == ["inner", "outer"])
        #expect(exported[0].context.parentSpanID == outer.spanID)
    }

    @Test("concurrent child tasks each get their own span and do not mix")
    func concurrentChildren() async throws {
        let (tracer, sink, _, logger) = makeTracer()
        await tracer.withSpan("parent") { parent in
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        await tracer.withSpan("child-\(index)") { child in
                            for _ in 0..<20 {
                                logger.info("work", metadata: ["child": "\(index)", "expected_span": "\(child.spanContext.spanID)"])
                                await Task.yield()
                            }
                        }
                    }
                }
            }
        }
        let logs = sink.lines.compactMap(parseJSONObject).filter { $0["record"] as? String == "log" }
        #expect(logs.count == 200)
        #expect(logs.allSatisfy { $0["span_id"] as? String == $0["expected_span"] as? String })
        let spans = sink.lines.compactMap(parseJSONObject).filter { $0["record"] as? String == "span" }
        let parentID = spans.first { $0["name"] as? String == "parent" }?["span_id"] as? String
        #expect(spans.filter { ($0["name"] as? String)?.hasPrefix("child-") == true }.allSatisfy { $0["parent_span_id"] as? String == parentID })
    }

    struct PaymentError: Error, CustomStringConvertible {
        var description: String { "card declined" }
    }

    @Test("span records have the documented shape: typed attributes, events, links, status, resource")
    func spanRecordShape() async throws {
        let (tracer, sink, _, _) = makeTracer()
        let linked = tracer.startSpan("other", context: .topLevel)
        linked.end()
        let span = tracer.startSpan("checkout", context: .topLevel, ofKind: .server, at: instant(0))
        span.attributes["http.method"] = "POST"
        span.attributes["http.status_code"] = 502
        span.attributes["ratio"] = 0.5
        span.attributes["cached"] = false
        span.attributes["tags"] = ["a", "b"]
        span.addEvent(SpanEvent(name: "retry", at: instant(5), attributes: ["attempt": 2]))
        span.addLink(SpanLink(context: linked.context, attributes: ["why": "batch"]))
        span.recordError(PaymentError())
        span.end(at: instant(125))
        span.end(at: instant(999))  // idempotent: the first end wins
        span.attributes["after-end"] = "ignored"
        let records = sink.lines.compactMap(parseJSONObject).filter { $0["name"] as? String == "checkout" }
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record["record"] as? String == "span")
        #expect(record["kind"] as? String == "server")
        #expect(record["level"] as? String == "error")
        #expect(record["status"] as? String == "error")
        #expect(record["status_message"] as? String == "card declined")
        #expect(record["duration_ns"] as? Int == 125_000_000)
        #expect(record["start"] as? String == "2025-11-24T16:00:00.000000000Z")
        #expect(record["end"] as? String == "2025-11-24T16:00:00.125000000Z")
        #expect(record["timestamp"] as? String == record["end"] as? String)
        #expect(record["trace_id"] as? String == span.spanContext.traceID.description)
        #expect(record["span_id"] as? String == span.spanContext.spanID.description)
        #expect(record["parent_span_id"] == nil)
        #expect(record["trace_flags"] as? String == "03")
        #expect(record["service"] as? String == "test-service")
        #expect((record["resource"] as? [String: Any])?["deployment.environment"] as? String == "test")
        let attributes = try #require(record["attributes"] as? [String: Any])
        #expect(attributes["http.method"] as? String == "POST")
        #expect(attributes["http.status_code"] as? Int == 502)
        #expect(attributes["ratio"] as? Double == 0.5)
        #expect(attributes["cached"] as? Bool == false)
        #expect(attributes["tags"] as? [String] == ["a", "b"])
        #expect(attributes["after-end"] == nil)
        let events = try #require(record["events"] as? [[String: Any]])
        #expect(events.map { $0["name"] as? String } == ["retry", "exception"])
        #expect((events[0]["attributes"] as? [String: Any])?["attempt"] as? Int == 2)
        let exception = try #require(events[1]["attributes"] as? [String: Any])
        #expect((exception["exception.type"] as? String)?.hasSuffix("PaymentError") == true)
        #expect(exception["exception.message"] as? String == "card declined")
        let links = try #require(record["links"] as? [[String: Any]])
        #expect(links.first?["span_id"] as? String == linked.spanContext.spanID.description)
        #expect((links.first?["attributes"] as? [String: Any])?["why"] as? String == "batch")
    }

    @Test("a span can be used from several tasks at once")
    func spanSharedAcrossTasks() async throws {
        let (tracer, sink, _, _) = makeTracer()
        let span = tracer.startSpan("shared", context: .topLevel)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    span.attributes["k\(index)"] = index
                    span.addEvent(SpanEvent(name: "e\(index)"))
                }
            }
        }
        span.end()
        let record = try #require(sink.lines.compactMap(parseJSONObject).first { $0["name"] as? String == "shared" })
        #expect((record["attributes"] as? [String: Any])?.count == 50)
        #expect((record["events"] as? [Any])?.count == 50)
    }

    @Test("activeSpan(identifiedBy:) finds the span from its context")
    func activeSpan() throws {
        let (tracer, _, _, _) = makeTracer()
        let span = tracer.startSpan("lookup", context: .topLevel)
        let found = try #require(tracer.activeSpan(identifiedBy: span.context))
        #expect(found.spanContext == span.spanContext)
        #expect(tracer.activeSpan(identifiedBy: .topLevel) == nil)
        span.end()
    }

    @Test("LOG_SPANS: all writes unsampled spans, sampled writes only exported ones, none writes none")
    func logSpansModes() async throws {
        for (mode, expected) in [(SpanLogging.all, 2), (.sampled, 1), (.none, 0)] {
            let (tracer, sink, _, _) = makeTracer(sampler: ParentBasedSampler(root: ConstantSampler(.drop)), logSpans: mode, tail: TailSampler.Configuration())
            tracer.withSpan("normal") { _ in }
            struct Failure: Error {}
            _ = try? tracer.withSpan("failing") { _ in throw Failure() }
            await tracer.processor?.forceFlush()
            let spans = sink.lines.compactMap(parseJSONObject).filter { $0["record"] as? String == "span" }
            #expect(spans.count == expected, "LOG_SPANS=\(mode)")
            if mode == .sampled { #expect(spans.first?["name"] as? String == "failing") }
        }
    }

    @Test("the console exporter's output parses as span records; telemetry does not print a span twice")
    func consoleExporter() async throws {
        let sink = InMemorySink()
        let tracer = SpanLogTracer(
            configuration: .init(sampler: ConstantSampler(.recordAndSample), batching: .init(scheduleDelayMilliseconds: 5)),
            logPipeline: nil,
            exporter: ConsoleSpanExporter(sink: sink)
        )
        tracer.withSpan("exported", ofKind: .client) { span in span.attributes["n"] = 1 }
        await tracer.processor?.forceFlush()
        #expect(sink.lines.count == 1)
        let record = try #require(parseJSONObject(sink.lines[0]))
        #expect(record["record"] as? String == "span" && record["name"] as? String == "exported" && record["kind"] as? String == "client")

        // Through the factory: console exporter + console log sink → each span on stdout once.
        let telemetry = Telemetry.make(
            TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true", "OTEL_EXPORTER": "console", "LOG_SPANS": "all"])
        )
        #expect(telemetry.tracer?.processor == nil)
        let noLogSpans = Telemetry.make(
            TelemetryConfiguration.fromEnvironment(["TELEMETRY_ENABLED": "true", "OTEL_EXPORTER": "console", "LOG_SPANS": "none"])
        )
        #expect(noLogSpans.tracer?.processor?.exporter is ConsoleSpanExporter)
    }

    @Test("seed helpers: job.run and external.api.call with exactly the seed's attributes")
    func seedHelpers() async throws {
        let (tracer, sink, _, _) = makeTracer()
        tracer.recordJobSpan(queueName: "batch_runner", jobType: "workflow_run", duration: .milliseconds(1500), success: false)
        tracer.recordExternalAPISpan(service: "outlook", operation: "fetch_emails", duration: .milliseconds(250), success: true)
        let value = await tracer.withJobSpan(queueName: "q", jobType: "t") { _ in 42 }
        #expect(value == 42)
        struct Down: Error {}
        await #expect(throws: Down.self) {
            try await tracer.withExternalAPISpan(service: "crm", operation: "lookup") { _ in throw Down() }
        }
        tracer.startSpan("database.query", attributes: ["query_type": "select", "table": "users"]) { span in
            span.attributes["rows_returned"] = 3
        }
        let spans = sink.lines.compactMap(parseJSONObject).filter { $0["record"] as? String == "span" }
        #expect(spans.map { $0["name"] as? String } == ["job.run", "external.api.call", "job.run", "external.api.call", "database.query"])
        let job = try #require(spans[0]["attributes"] as? [String: Any])
        #expect(job["queue.name"] as? String == "batch_runner")
        #expect(job["job.type"] as? String == "workflow_run")
        #expect(job["job.duration_seconds"] as? Double == 1.5)
        #expect(job["job.success"] as? Bool == false)
        #expect(spans[0]["status"] as? String == "error")
        #expect(spans[0]["duration_ns"] as? Int == 1_500_000_000)
        let external = try #require(spans[1]["attributes"] as? [String: Any])
        #expect(external["external.service"] as? String == "outlook")
        #expect(external["external.operation"] as? String == "fetch_emails")
        #expect(external["external.duration_seconds"] as? Double == 0.25)
        #expect(external["external.success"] as? Bool == true)
        #expect(spans[1]["kind"] as? String == "client")
        #expect((spans[2]["attributes"] as? [String: Any])?["job.success"] as? Bool == true)
        #expect((spans[3]["attributes"] as? [String: Any])?["external.success"] as? Bool == false)
        #expect(spans[3]["status"] as? String == "error")
        let manual = try #require(spans[4]["attributes"] as? [String: Any])
        #expect(manual["query_type"] as? String == "select" && manual["rows_returned"] as? Int == 3)
    }

    @Test("lazily set attributes are computed only when the record is built or they are read; later writes win")
    func lazyAttributes() async throws {
        let calls = Mutex(0)
        let (tracer, _, exporter, _) = makeTracer(sampler: ParentBasedSampler(root: ConstantSampler(.drop)), logSpans: .sampled)

        // A quiet trace the tail rule discards: its record is never built, so neither are these.
        let quiet = tracer.startSpan("quiet", context: .topLevel)
        quiet.setAttributesLazily { attributes in
            calls.withLock { $0 += 1 }
            attributes["http.route"] = "/quiet"
        }
        quiet.end()
        #expect(calls.withLock { $0 } == 0)
        #expect(tracer.tailSampler?.statistics.discarded == 1)

        // A failing trace is kept: the record carries them, and a direct write made later wins.
        let failing = tracer.startSpan("failing", context: .topLevel)
        failing.setAttributesLazily { attributes in
            calls.withLock { $0 += 1 }
            attributes["http.route"] = "/failing"
            attributes["overridden"] = "lazy"
        }
        failing.attributes["overridden"] = "direct"
        failing.setStatus(SpanStatus(code: .error))
        failing.end()
        await tracer.processor?.forceFlush()
        let record = try #require(exporter?.exported.first { $0.name == "failing" })
        #expect(record.attributes.get("http.route") == .string("/failing"))
        #expect(record.attributes.get("overridden") == .string("direct"))
        #expect(calls.withLock { $0 } == 1)

        // Reading the attributes computes them.
        let read = tracer.startSpan("read", context: .topLevel)
        read.setAttributesLazily { attributes in attributes["n"] = 7 }
        #expect(read.attributes.get("n") == .int64(7))
        read.end()
        await tracer.shutdown()
    }

    @Test("an end that comes while a write has the attributes out waits for it: no attribute is lost")
    func endDuringAttributeWrite() async throws {
        let (tracer, _, exporter, _) = makeTracer()
        let span = tracer.startSpan("racing", context: .topLevel)
        span.setAttributesLazily { attributes in attributes["http.route"] = "/users/{id}" }
        span.attributes["before"] = 1
        func write(_ attributes: inout SpanAttributes, then: () -> Void) {
            attributes["during"] = 2
            then()
        }
        // The end happens while this write has the attributes out of the span's lock, as when
        // another task ends the span at that moment.
        write(&span.attributes) { span.end() }
        span.attributes["after"] = 3
        span.end()
        await tracer.processor?.forceFlush()
        let records = exporter?.exported.filter { $0.name == "racing" } ?? []
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.attributes.get("http.route") == .string("/users/{id}"))
        #expect(record.attributes.get("before") == .int64(1))
        #expect(record.attributes.get("during") == .int64(2))
        #expect(record.attributes.get("after") == nil)
        await tracer.shutdown()
    }

    @Test("batch processor: a full queue drops and counts, never blocks the caller")
    func processorBounded() async throws {
        struct SlowExporter: SpanExporter {
            func export(_ batch: [SpanRecord]) async throws { try await Task.sleep(for: .seconds(30)) }
        }
        let tracer = SpanLogTracer(
            configuration: .init(
                sampler: ConstantSampler(.recordAndSample),
                batching: .init(scheduleDelayMilliseconds: 1, maxQueueSize: 100, maxExportBatchSize: 10, exportTimeoutMilliseconds: 200)
            ),
            exporter: SlowExporter()
        )
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<5000 { tracer.withSpan("s") { _ in } }
        }
        #expect(elapsed < .seconds(2))
        let statistics = try #require(tracer.processor?.statistics)
        #expect(statistics.dropped >= 4800)
        await tracer.shutdown()
    }
}
