import Foundation
import Logging
import SpanLog
import SpanLogTesting
import Testing

@Suite("SpanLogHandler: merge order, levels, errors")
struct HandlerTests {
    @Test("handler < provider < call site, as swift-log documents")
    func mergeOrder() throws {
        let provider = Logger.MetadataProvider { ["shared": "provider", "provider-only": "p", "both": "provider"] }
        var (logger, sink) = makeLogger(metadataProvider: provider)
        logger[metadataKey: "shared"] = "handler"
        logger[metadataKey: "handler-only"] = "h"
        logger[metadataKey: "both"] = "handler"
        logger.info("merge", metadata: ["shared": "call", "call-only": "c"])
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect(object["shared"] as? String == "call")
        #expect(object["both"] as? String == "provider")
        #expect(object["handler-only"] as? String == "h")
        #expect(object["provider-only"] as? String == "p")
        #expect(object["call-only"] as? String == "c")
    }

    @Test("without a provider of its own the handler uses the one given to LoggingSystem.bootstrap (child process)")
    func bootstrapProviderIsTheDefault() throws {
        let child = try FileSinkTestSupport.crashChildPath()
        let output = try FileSinkTestSupport.run(child, ["bootstrap-provider", NSTemporaryDirectory()], timeout: 30)
        #expect(output.status == 0, "\(output.stderr)")
        let line = try #require(output.stdout.split(separator: "\n").first, "no record on stdout: \(output.stderr)")
        let object = try #require(parseJSONObject(String(line)))
        #expect(object["message"] as? String == "with the bootstrap's provider")
        #expect(object["request_id"] as? String == "from-provider")
    }

    @Test("swift-log's source is kept: the module by default, the call site's when it names one")
    func sourceIsWritten() throws {
        let (logger, sink) = makeLogger()
        logger.info("default source")
        logger.info("named source", source: "billing.db")
        logger.info("a long module name is the default too", file: "AVeryLongModuleNameIndeed/File.swift")
        logger.info("metadata cannot overwrite it", metadata: ["source": "forged"])
        let objects = try sink.lines.map { try #require(parseJSONObject($0)) }
        #expect(objects.map { $0["source"] as? String } == ["SpanLogTests", "billing.db", "AVeryLongModuleNameIndeed", "SpanLogTests"])
        #expect((objects[3]["meta"] as? [String: Any])?["source"] as? String == "forged")
    }

    @Test("an explicit source is read from its place in the event (found at start), agreeing with the copy probe")
    func explicitSourceReadDirectly() {
        #expect(LogEventSource.offset != nil, "swift-log's LogEvent layout was not recognised: every record pays the copy probe")
        let cases: [String?] = [nil, "db", "a-source-name-longer-than-fifteen-bytes", "", "n/a"]
        for source in cases {
            for file in ["Module/File.swift", "AVeryLongModuleNameIndeed/File.swift", "nofile"] {
                let event = LogEvent(level: .info, message: "m", metadata: ["k": "v"], source: source, file: file, function: "f", line: 1)
                let direct = LogEventSource.explicit(in: event)
                #expect(direct == source, "\(String(describing: source)) in \(file)")
                if source != "n/a" { #expect(direct == LogEventSource.probeCopy(event)) }
            }
        }
    }

    @Test("handler metadata is a value: a copy's change does not leak back")
    func valueSemantics() throws {
        var (logger, sink) = makeLogger()
        logger[metadataKey: "a"] = "1"
        var copy = logger
        copy[metadataKey: "a"] = "2"
        logger.info("original")
        copy.info("copy")
        #expect(parseJSONObject(sink.lines[0])?["a"] as? String == "1")
        #expect(parseJSONObject(sink.lines[1])?["a"] as? String == "2")
    }

    @Test("per-label levels with prefixes; the handler's logLevel can still be changed")
    func levels() throws {
        let levels = LevelFilter(default: .notice, overrides: ["db": .debug, "db.noisy": .error])
        #expect(levels.level(forLabel: "app") == .notice)
        #expect(levels.level(forLabel: "db") == .debug)
        #expect(levels.level(forLabel: "db.pool") == .debug)
        #expect(levels.level(forLabel: "db.noisy.x") == .error)
        #expect(levels.level(forLabel: "dbx") == .notice)

        let sink = InMemorySink()
        let pipeline = LogPipeline(levels: levels, sinks: [sink])
        var app = Logger(label: "app") { SpanLogHandler(label: $0, pipeline: pipeline) }
        let db = Logger(label: "db.pool") { SpanLogHandler(label: $0, pipeline: pipeline) }
        app.info("dropped")
        app.notice("kept-app")
        db.debug("kept-db")
        db.trace("dropped")
        app.logLevel = .debug
        app.debug("kept-after-change")
        #expect(sink.lines.compactMap { parseJSONObject($0)?["message"] as? String } == ["kept-app", "kept-db", "kept-after-change"])
    }

    struct PaymentDeclined: Error, CustomStringConvertible {
        var description: String { "card declined: \"insufficient funds\"" }
    }

    @Test("an error adds error.type and error.message")
    func errorFields() throws {
        let (logger, sink) = makeLogger()
        logger.error("payment failed", error: PaymentDeclined())
        let object = try #require(parseJSONObject(sink.lines[0]))
        #expect((object["error.type"] as? String)?.hasSuffix("PaymentDeclined") == true)
        #expect(object["error.message"] as? String == "card declined: \"insufficient funds\"")
        #expect(object["level"] as? String == "error")
    }

    @Test("a filter can drop and change records")
    func customFilter() throws {
        struct DropHealth: LogFilter {
            func process(_ record: inout LogRecord) -> Bool {
                record.metadata["region"] = "eu"
                return record.metadata["route"] != "/health"
            }
        }
        let (logger, sink) = makeLogger(filters: LogPipeline.defaultFilters + [DropHealth()])
        logger.info("a", metadata: ["route": "/health"])
        logger.info("b", metadata: ["route": "/users"])
        #expect(sink.lines.count == 1)
        #expect(parseJSONObject(sink.lines[0])?["region"] as? String == "eu")
    }

    @Test("the builder assembles levels, filters and outputs")
    func builder() throws {
        let json = InMemorySink()
        let text = InMemorySink()
        let pipeline = LogPipeline.Builder()
            .levels(LevelFilter(default: .warning))
            .filter(RedactionFilter(keys: ["ssn"]))
            .output(JSONRecordEncoder(), to: json)
            .output(TextRecordEncoder(), to: text)
            .build()
        let logger = Logger(label: "b") { SpanLogHandler(label: $0, pipeline: pipeline) }
        logger.info("below")
        logger.warning("kept", metadata: ["ssn": "123", "password": "x"])
        #expect(json.lines.count == 1 && text.lines.count == 1)
        let object = try #require(parseJSONObject(json.lines[0]))
        #expect(object["ssn"] as? String == "[REDACTED]")
        #expect(object["password"] as? String == "[REDACTED]")
        #expect(text.lines[0].contains("warning  b: kept"))
    }
}
