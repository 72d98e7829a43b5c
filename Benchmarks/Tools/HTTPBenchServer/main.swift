import Hummingbird
import Instrumentation
import Logging
import NIOCore
import SpanLog
import SpanLogHummingbird
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// The hello-route server behind Benchmarks/http-wrk.sh (docs/performance.md, "HTTP middleware").
//
//   SpanLogHTTPBenchServer none              no middleware
//   SpanLogHTTPBenchServer off               the middleware with the default tracer (NoOpTracer: telemetry off)
//   SpanLogHTTPBenchServer context           no tracer: a middleware that only puts a span context into the
//                                            task-local ServiceContext around the handler (the API's floor)
//   SpanLogHTTPBenchServer floor             `context` plus the X-Trace-Id response header: the least a
//                                            middleware meeting the issue can do
//   SpanLogHTTPBenchServer ratio 0.02 <dir> [all|sampled|none]
//                                            the middleware with a SpanLogTracer sampling 2 %, span records to a
//                                            rotating gzip file sink in <dir>: every recorded span (all, the
//                                            library default), only sampled ones (sampled), or none
//
// It prints `port <n>` once it listens on 127.0.0.1 (a free port) and runs until SIGINT or SIGTERM.
// BENCH_RESPONSE_HEADERS=none|traceid|traceparent|all chooses the middleware's response headers
// (default: the middleware's default).
// With BENCH_IN_PROCESS=<iterations> it instead calls the router's responder directly that many
// times (no sockets) and prints wall and process-CPU nanoseconds per request.

let arguments = CommandLine.arguments.dropFirst()
let mode = arguments.first ?? "none"
let router = Router()
let responseHeaders: ResponseTraceHeaders
switch getenv("BENCH_RESPONSE_HEADERS").map({ String(cString: $0) }) {
case "none": responseHeaders = []
case "traceid": responseHeaders = .traceID
case "traceparent": responseHeaders = .traceparent
case "all": responseHeaders = .all
default: responseHeaders = SpanLogTracingMiddleware<BasicRequestContext>.defaultResponseHeaders
}
var pipeline: LogPipeline?
var tracer: SpanLogTracer?

switch mode {
case "none":
    break
case "off":
    router.add(middleware: SpanLogTracingMiddleware(responseHeaders: responseHeaders))
case "context":
    router.add(middleware: ContextOnlyMiddleware())
case "floor":
    router.add(middleware: ContextOnlyMiddleware(addsTraceHeader: true))
case "ratio":
    let values = Array(arguments.dropFirst())
    guard values.count == 2 || values.count == 3, let ratio = Double(values[0]),
        let logSpans = SpanLogging(rawValue: values.count == 3 ? values[2] : "all")
    else {
        print("usage: SpanLogHTTPBenchServer ratio <0...1> <log directory> [all|sampled|none]")
        exit(2)
    }
    let sink = RotatingGzipFileSink(configuration: .init(directory: values[1], fileName: "bench"))
    let filePipeline = LogPipeline(sinks: [sink])
    let spanTracer = SpanLogTracer(
        configuration: .init(sampler: ParentBasedSampler(root: TraceIDRatioSampler(ratio: ratio)), logSpans: logSpans),
        logPipeline: filePipeline
    )
    pipeline = filePipeline
    tracer = spanTracer
    router.add(middleware: SpanLogTracingMiddleware(tracer: spanTracer, responseHeaders: responseHeaders))
default:
    print("unknown mode \(mode): none | off | context | floor | ratio <r> <dir>")
    exit(2)
}

router.get("/") { _, _ in "Hello, world!" }

var logger = Logger(label: "bench")
logger.logLevel = .warning

if let iterations = getenv("BENCH_IN_PROCESS").flatMap({ Int(String(cString: $0)) }) {
    let result = try await InProcessBenchmark.measure(router: router, iterations: iterations, logger: logger)
    print("wall_ns_per_request \(Int(result.wallNanoseconds.rounded())) cpu_ns_per_request \(Int(result.cpuNanoseconds.rounded()))")
    pipeline?.shutdown()
    exit(0)
}
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
    onServerRunning: { channel in
        // Unbuffered, so the benchmark script sees it at once.
        let line = "port \(channel.localAddress?.port ?? 0)\n"
        _ = line.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    },
    logger: logger
)
try await app.runService()
pipeline?.shutdown()
_ = tracer
