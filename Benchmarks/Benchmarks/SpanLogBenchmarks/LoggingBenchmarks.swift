import Benchmark
import Logging
import SpanLog
import Tracing

#if canImport(Glibc)
import Glibc
#endif

/// The measured call: an info record with four metadata fields.
@inline(__always)
func logUserSignedIn(_ logger: Logger) {
    logger.info("user signed in", metadata: ["user": "42", "method": "GET", "route": "/users/{id}", "status": "200"])
}

/// The three calls, side by side: (a) filtered out by level, (b) SpanLog's JSON record
/// inside a span context, (c) swift-log's StreamLogHandler writing to /dev/null — plus the same
/// call with swift-log's no-op handler, the floor that (b) is compared with.
func loggingBenchmarks() {
    let pipeline = LogPipeline(sinks: [DiscardingSink()])
    let spanLogger = Logger(label: "bench") { SpanLogHandler(label: $0, pipeline: pipeline) }

    var spanContext = ServiceContext.topLevel
    spanContext.spanContext = SpanContext(
        traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736),
        spanID: SpanID(rawValue: 0x00f0_67aa_0ba9_02b7),
        traceFlags: .sampled
    )

    Benchmark("a_filtered_out_by_level", configuration: configuration()) { benchmark in
        for index in benchmark.scaledIterations {
            spanLogger.debug(
                "user signed in",
                metadata: ["user": "\(index)", "method": "GET", "route": "/users/{id}", "status": "200"]
            )
        }
    }

    Benchmark("b_spanlog_json_4_fields_in_span", configuration: configuration()) {
        benchmark in
        ServiceContext.withValue(spanContext) {
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                logUserSignedIn(spanLogger)
            }
            benchmark.stopMeasurement()
        }
    }

    let noOpLogger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    Benchmark("b0_swiftlog_noop_handler_same_call", configuration: configuration()) { benchmark in
        ServiceContext.withValue(spanContext) {
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                logUserSignedIn(noOpLogger)
            }
            benchmark.stopMeasurement()
        }
    }

    let streamLogger = Logger(label: "bench") { StreamLogHandler.standardOutput(label: $0) }
    Benchmark("c_streamloghandler_devnull_same_call", configuration: configuration()) { benchmark in
        // StreamLogHandler writes to stdout; point fd 1 at /dev/null for the measurement only
        // (package-benchmark talks to its runner over other descriptors).
        fflush(nil)
        let saved = dup(STDOUT_FILENO)
        let devNull = open("/dev/null", O_WRONLY)
        dup2(devNull, STDOUT_FILENO)
        ServiceContext.withValue(spanContext) {
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                logUserSignedIn(streamLogger)
            }
            benchmark.stopMeasurement()
        }
        fflush(nil)
        dup2(saved, STDOUT_FILENO)
        close(saved)
        close(devNull)
    }
}
