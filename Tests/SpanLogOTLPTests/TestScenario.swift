import Instrumentation
import Logging
import SpanLog
import SpanLogOTLP
import Synchronization
import Tracing

/// A tracer and a log pipeline wired to OTLP exporters, the way `Telemetry` wires them, but
/// built explicitly (no global bootstrap) so tests can run side by side.
struct ExportRig {
    let tracer: SpanLogTracer
    let spanExporter: OTLPSpanExporter
    let logExporter: OTLPLogRecordExporter
    let pipeline: LogPipeline
    let logger: Logger

    static let resource = SpanLogResource(serviceName: "otlp-test", attributes: ["deployment.environment": "test", "service.version": "1.2.3"])

    init(
        traces: OTLPExporterConfiguration,
        logs: OTLPExporterConfiguration,
        batching: BatchSpanProcessor.Configuration = .init(scheduleDelayMilliseconds: 20, exportTimeoutMilliseconds: 10000),
        logBatching: OTLPLogRecordExporter.Batching = .init(scheduleDelay: .milliseconds(20), exportTimeout: .seconds(10))
    ) throws {
        let reportBox = ReportBox()
        self.spanExporter = try OTLPSpanExporter(configuration: traces, reporter: { reportBox.append($0) })
        self.logExporter = try OTLPLogRecordExporter(configuration: logs, resource: Self.resource, batching: logBatching, reporter: { reportBox.append($0) })
        self.pipeline = LogPipeline(levels: LevelFilter(default: .trace), outputs: [], exporters: [self.logExporter])
        self.tracer = SpanLogTracer(
            configuration: .init(
                resource: Self.resource,
                sampler: ConstantSampler(.recordAndSample),
                logSpans: .none,
                tailSampling: nil,
                batching: batching
            ),
            logPipeline: self.pipeline,
            exporter: self.spanExporter
        )
        let pipeline = self.pipeline
        self.logger = Logger(label: "otlp.test") { SpanLogHandler(label: $0, pipeline: pipeline) }
        self.reportBox = reportBox
    }

    let reportBox: ReportBox

    func flush() async {
        await self.tracer.processor?.forceFlush()
        await self.logExporter.flush()
    }

    func shutdown() async {
        await self.tracer.shutdown()
        await self.logExporter.shutdown()
    }
}

final class ReportBox: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { self.lines.withLock { $0.append(line) } }
    var all: [String] { self.lines.withLock { $0 } }
}

/// The ids a scenario produced, to compare with what the receiver decoded.
struct ScenarioIDs {
    var root: SpanContext
    var child: SpanContext
    var linked: SpanContext
}

/// A nested trace: a server span with typed attributes and an info log, and a client child span
/// with an event, a link, error status and an error log.
func runNestedTrace(_ rig: ExportRig) -> ScenarioIDs {
    let linked = SpanContext(traceID: TraceID(high: 0x0102030405060708, low: 0x090a0b0c0d0e0f10), spanID: SpanID(rawValue: 0x1112131415161718), traceFlags: .sampled)
    let ids = Mutex<(SpanContext?, SpanContext?)>((nil, nil))
    rig.tracer.withSpan("http.server", ofKind: .server) { root in
        root.attributes["http.method"] = "GET"
        root.attributes["http.status_code"] = 200
        root.attributes["http.duration_seconds"] = 0.25
        root.attributes["cache.hit"] = true
        root.attributes["tags"] = ["a", "b"]
        root.attributes["sizes"] = [Int64(1), Int64(-2)]
        let rootContext = root.spanContext
        ids.withLock { $0.0 = rootContext }
        rig.logger.info("handling request", metadata: ["user": "42", "request": ["route": "/orders", "ids": ["7", "8"]]])
        rig.tracer.withSpan("db.query", ofKind: .client) { child in
            child.addEvent(SpanEvent(name: "retry", attributes: ["attempt": 2]))
            var linkContext = ServiceContext.topLevel
            linkContext.spanContext = linked
            child.addLink(SpanLink(context: linkContext, attributes: ["link.reason": "batch"]))
            child.setStatus(SpanStatus(code: .error, message: "connection reset"))
            let childContext = child.spanContext
            ids.withLock { $0.1 = childContext }
            rig.logger.error("query failed", metadata: ["db": "orders", "source": "from-metadata"])
        }
    }
    let (root, child) = ids.withLock { $0 }
    return ScenarioIDs(root: root!, child: child!, linked: linked)
}
