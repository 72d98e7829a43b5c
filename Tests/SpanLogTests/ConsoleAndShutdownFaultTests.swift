import Foundation
import Logging
import SpanLog
import SpanLogTesting
import Testing
import Tracing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, findings 5 and 6: a console nobody reads, a console whose reader has gone, and a
/// shutdown with a dead collector all end in bounded time, and the files keep every record.
@Suite("Console and shutdown under faults", .serialized, .timeLimit(.minutes(2)))
struct ConsoleAndShutdownFaultTests {
    @Test("a stdout nobody reads: no call waits longer than the block limit, the other output keeps every record, shutdown keeps its deadline")
    func stalledConsole() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }  // never read until the end; closing it lets a stuck write return
        let console = ConsoleSink(fileDescriptor: ends[1], queueBytes: 64 << 10, blockLimit: .milliseconds(200))
        let memory = InMemorySink()
        let pipeline = LogPipeline(outputs: [LogOutput(sinks: [console]), LogOutput(sinks: [memory])])
        let logger = Logger(label: "stall") { SpanLogHandler(label: $0, pipeline: pipeline) }
        let padding = String(repeating: "p", count: 200)
        var longest = Duration.zero
        let total = ContinuousClock().measure {
            for index in 0..<20_000 {
                let start = ContinuousClock.now
                logger.info("record", metadata: ["i": "\(index)", "pad": "\(padding)"])
                longest = max(longest, ContinuousClock.now - start)
            }
        }
        #expect(longest < .seconds(1), "one log call waited \(longest)")
        #expect(total < .seconds(20), "20k calls took \(total)")
        #expect(memory.lines.count == 20_000)
        #expect(console.droppedRecords > 0)
        let shutdownTime = ContinuousClock().measure {
            #expect(pipeline.shutdown(deadline: .now + .milliseconds(500)) == false)
        }
        #expect(shutdownTime < .seconds(2), "shutdown took \(shutdownTime)")
        // After shutdown, direct writes give up on the stalled pipe too.
        let after = ContinuousClock().measure { logger.info("after") }
        #expect(after < .seconds(1))
        close(ends[1])
    }

    @Test("a reader that has gone (EPIPE) is an outage counted in droppedRecords, not a SIGPIPE that kills the process")
    func brokenPipe() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        let console = ConsoleSink(fileDescriptor: ends[1])
        let pipeline = LogPipeline(sinks: [console])
        let logger = Logger(label: "epipe") { SpanLogHandler(label: $0, pipeline: pipeline) }
        for index in 0..<10 { logger.info("record \(index)") }
        console.flush()
        #expect(console.droppedRecords >= 10)
        pipeline.shutdown()
        logger.info("direct write after shutdown")  // the caller's thread: SIGPIPE blocked there too
        #expect(console.droppedRecords >= 11)
    }

    @Test("shutdown with a collector that never answers keeps one deadline, and the file sink is closed first with every record")
    func shutdownDeadline() async throws {
        let directory = try FileSinkTestSupport.makeTemporaryDirectory("shutdown-deadline")
        defer { FileSinkTestSupport.removeTree(directory) }
        var configuration = TelemetryConfiguration.fromEnvironment([
            "TELEMETRY_ENABLED": "true", "OTEL_TRACE_SAMPLE": "1.0", "OTEL_EXPORTER": "otlp", "OTEL_ENDPOINT": "http://127.0.0.1:9",
            "LOG_DIR": directory, "LOG_FILE_NAME": "deadline", "LOG_FORMAT": "json", "OTEL_SERVICE_NAME": "deadline",
        ])
        configuration.batching = BatchSpanProcessor.Configuration(scheduleDelayMilliseconds: 10, exportTimeoutMilliseconds: 60_000)
        let telemetry = Telemetry.make(configuration, exporters: HangingExporterProvider())
        let logger = telemetry.logger(label: "app")
        let tracer = try #require(telemetry.tracer)
        for index in 0..<50 {
            tracer.withSpan("request") { _ in logger.info("handled", metadata: ["i": "\(index)"]) }
        }
        let elapsed = await ContinuousClock().measure {
            let finished = await telemetry.shutdown(timeout: .seconds(2))
            #expect(finished == false)
        }
        // 2 s and scheduling slack on a loaded 2-core machine; without the deadline it took 60 s.
        #expect(elapsed < .seconds(8), "shutdown took \(elapsed) with a 2 s deadline")
        let files = FileSinkTestSupport.logFiles(directory)
        let file = try #require(files.last)
        #expect(try FileSinkTestSupport.gzipTest(file))
        let text = try FileSinkTestSupport.zcat(file)
        #expect(text.components(separatedBy: "\"message\":\"handled\"").count - 1 == 50)
        #expect(text.components(separatedBy: "\"record\":\"span\"").count - 1 == 50)
        #expect(FileManager.default.fileExists(atPath: file + ".idx"))
    }
}

/// Exporters that never return: a collector that accepts connections and never answers, and
/// ignores cancellation.
struct HangingExporterProvider: TelemetryExporterProvider {
    func makeSpanExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any SpanExporter)? {
        HangingSpanExporter()
    }

    func makeLogExporter(_ configuration: TelemetryConfiguration, warn: (String) -> Void) -> (any LogRecordExporter)? {
        HangingLogExporter()
    }
}

struct HangingSpanExporter: SpanExporter {
    func export(_ batch: [SpanRecord]) async throws { await Self.hang() }
    func shutdown() async { await Self.hang() }

    /// Sleeps a long time, ignoring cancellation.
    static func hang() async {
        for _ in 0..<600 { try? await Task.sleep(for: .milliseconds(100)) }
    }
}

struct HangingLogExporter: LogRecordExporter {
    func export(_ record: LogRecord) {}
    func flush() async { await HangingSpanExporter.hang() }
    func shutdown() async { await HangingSpanExporter.hang() }
}
