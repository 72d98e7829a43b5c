// The file sink's test helper, run as a child process by RotatingGzipFileSinkTests:
//
//   SpanLogFileSinkCrashChild crash <dir> <run>       log at full speed until killed; prints
//                                                     "flushed <seq>" after each flush returns
//   SpanLogFileSinkCrashChild fsize <dir>             log while RLIMIT_FSIZE makes every write
//                                                     fail (EFBIG), then lift the limit
//   SpanLogFileSinkCrashChild bench <dir> <level> <records> [<copy>]
//                                                     throughput and caller latency; <copy>
//                                                     receives the same uncompressed bytes
//   SpanLogFileSinkCrashChild bench-index <dir> on|off <records>
//                                                     traced records into 4 MiB files with trace
//                                                     indexes on or off: process CPU seconds and
//                                                     ns per record (Benchmarks/sink-index-cost.sh)
//   SpanLogFileSinkCrashChild hold <dir> <name>      a sink of <name> (retaining 1 file) writes
//                                                     record 0, says "ready", waits for the end
//                                                     of its standard input, writes record 1
//   SpanLogFileSinkCrashChild bootstrap-provider <dir>
//                                                     LoggingSystem.bootstrap with a metadata
//                                                     provider, then one record from a handler
//                                                     made without one, as a JSON line on stdout
//   SpanLogFileSinkCrashChild resource <dir>        prints its detected resource's
//                                                     service.instance.id and process.pid
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import SpanLog

func say(_ text: String) {
    var line = Array(text.utf8)
    line.append(UInt8(ascii: "\n"))
    line.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

func monotonic() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// A record shaped like a service's log line: constant keys, a varying id and payload.
func record(run: String, seq: Int, into line: inout [UInt8]) {
    line.removeAll(keepingCapacity: true)
    let text = "{\"timestamp\":\"\(RecordTime.now())\",\"record\":\"log\",\"level\":\"info\",\"logger\":\"child\",\"message\":\"request handled\",\"run\":\"\(run)\",\"seq\":\(seq),\"user\":\"u\(seq % 977)\",\"latency_ms\":\(seq % 313),\"route\":\"/api/v1/items/\(seq % 4099)\"}\n"
    line.append(contentsOf: text.utf8)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    say("usage: SpanLogFileSinkCrashChild crash|fsize|bench <dir> ...")
    exit(2)
}
let directory = arguments[2]
var line: [UInt8] = []

switch arguments[1] {
case "crash":
    let run = arguments.count > 3 ? arguments[3] : "0"
    let sink = RotatingGzipFileSink(configuration: .init(
        directory: directory, fileName: "crash", rotateBytes: 256 * 1024, rotateInterval: .none,
        retainFiles: 100_000, flushIntervalMilliseconds: 50))
    say("ready")
    var seq = 0
    while true {
        record(run: run, seq: seq, into: &line)
        line.withUnsafeBytes { sink.write($0) }
        if seq % 2000 == 1999 {
            sink.flush()
            say("flushed \(seq)")
        }
        seq += 1
    }

case "fsize":
    let fsizeResource = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
    signal(SIGXFSZ, SIG_IGN)
    let sink = RotatingGzipFileSink(configuration: .init(
        directory: directory, fileName: "fsize", rotateInterval: .none, flushIntervalMilliseconds: 20,
        queueBytes: 4096, outageBlockLimitMilliseconds: 300))
    var limit = rlimit()
    getrlimit(fsizeResource, &limit)
    let original = limit
    limit.rlim_cur = 0
    setrlimit(fsizeResource, &limit)
    // Log for one second while every write fails: the queue fills, callers wait for at most
    // the outage limit (300 ms), then records are dropped and counted.
    let start = monotonic()
    var before = 0
    var slowest: UInt64 = 0
    while monotonic() - start < 1_000_000_000 {
        record(run: "before", seq: before, into: &line)
        let callStart = monotonic()
        line.withUnsafeBytes { sink.write($0) }
        slowest = max(slowest, monotonic() - callStart)
        before += 1
    }
    usleep(200_000)
    var restored = original
    setrlimit(fsizeResource, &restored)
    // stdout may be a file, which the limit also stopped: report only now.
    say("before \(before)")
    say("slowest-write-ms \(slowest / 1_000_000)")
    usleep(1_500_000)  // longer than the writer's longest backoff: it has written again by now
    for seq in 0..<100 {
        record(run: "after", seq: seq, into: &line)
        line.withUnsafeBytes { sink.write($0) }
    }
    sink.flush()
    sink.shutdown()
    say("dropped \(sink.droppedRecords)")
    exit(0)

case "bench":
    let level = Int(arguments[3]) ?? 1
    let count = Int(arguments[4]) ?? 1_000_000
    let copyFD: Int32 = arguments.count > 5 ? open(arguments[5], O_WRONLY | O_CREAT | O_TRUNC, 0o644) : -1
    let sink = RotatingGzipFileSink(configuration: .init(
        directory: directory, fileName: "bench", rotateInterval: .none, retainFiles: 1000, gzipLevel: level))
    // Pre-encode so the loop measures the sink, not string formatting.
    var lines: [[UInt8]] = []
    for seq in 0..<4096 {
        record(run: "bench", seq: seq, into: &line)
        lines.append(line)
    }
    if copyFD >= 0 {
        for seq in 0..<count {
            lines[seq & 4095].withUnsafeBytes { _ = write(copyFD, $0.baseAddress!, $0.count) }
        }
        close(copyFD)
    }
    var latencies = [UInt64](repeating: 0, count: count)
    var bytes = 0
    let start = monotonic()
    for seq in 0..<count {
        let before = monotonic()
        lines[seq & 4095].withUnsafeBytes { sink.write($0) }
        latencies[seq] = monotonic() - before
        bytes += lines[seq & 4095].count
    }
    sink.shutdown()
    let elapsed = Double(monotonic() - start) / 1e9
    latencies.sort()
    let p50 = latencies[count / 2]
    let p99 = latencies[count * 99 / 100]
    let p999 = latencies[count * 999 / 1000]
    say("level \(level): \(count) records, \(bytes) bytes in \(elapsed) s: \(Int(Double(count) / elapsed)) records/s, \(Double(bytes) / elapsed / 1e6) MB/s; caller p50 \(p50) ns p99 \(p99) ns p99.9 \(p999) ns")
    exit(0)

case "bench-index":
    let writesIndex = arguments.count > 3 && arguments[3] == "on"
    let count = arguments.count > 4 ? Int(arguments[4]) ?? 3_000_000 : 3_000_000
    let sink = RotatingGzipFileSink(configuration: .init(
        directory: directory, fileName: "bench", rotateBytes: 4 << 20, rotateInterval: .none, retainFiles: 1000,
        writesTraceIndex: writesIndex))
    // Records with trace ids, eight consecutive records per trace, pre-encoded.
    var lines: [[UInt8]] = []
    for seq in 0..<4096 {
        let trace = TraceID(high: UInt64(seq / 8 + 1) &* 0x9E37_79B9_7F4A_7C15, low: UInt64(seq / 8 + 7) &* 0xBF58_476D_1CE4_E5B9)
        let span = SpanID(rawValue: UInt64(seq + 3) &* 0x94D0_49BB_1331_11EB)
        let text = "{\"timestamp\":\"\(RecordTime.now())\",\"record\":\"log\",\"level\":\"info\",\"logger\":\"bench\",\"message\":\"request handled\",\"trace_id\":\"\(trace)\",\"span_id\":\"\(span)\",\"trace_flags\":\"01\",\"seq\":\(seq),\"user\":\"u\(seq % 977)\",\"route\":\"/api/v1/items/\(seq % 4099)\"}\n"
        lines.append(Array(text.utf8))
    }
    let start = monotonic()
    for seq in 0..<count {
        lines[seq & 4095].withUnsafeBytes { sink.write($0) }
    }
    sink.shutdown()
    let elapsed = monotonic() - start
    var processTime = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &processTime)
    let cpu = Double(processTime.tv_sec) + Double(processTime.tv_nsec) / 1e9
    say("index \(writesIndex ? "on" : "off") cpu_s \(cpu) ns_per_record \(Double(elapsed) / Double(count))")
    exit(0)

case "hold":
    // Holds the name for as long as its standard input is open: the parent starts sinks of the
    // same name meanwhile, or kills it to see the name freed.
    let name = arguments.count > 3 ? arguments[3] : "shared"
    let sink = RotatingGzipFileSink(configuration: .init(
        directory: directory, fileName: name, rotateInterval: .none, retainFiles: 1, flushIntervalMilliseconds: 20))
    record(run: "child", seq: 0, into: &line)
    line.withUnsafeBytes { sink.write($0) }
    sink.flush()
    say("ready")
    var byte: UInt8 = 0
    while read(STDIN_FILENO, &byte, 1) > 0 {}
    record(run: "child", seq: 1, into: &line)
    line.withUnsafeBytes { sink.write($0) }
    sink.flush()
    sink.shutdown()
    say("done \(sink.droppedRecords)")
    exit(0)

case "bootstrap-provider":
    // swift-log's bootstrap may run once per process: this is why it runs in a child.
    let pipeline = LogPipeline(sinks: [ConsoleSink.standardOutput])
    LoggingSystem.bootstrap({ label, _ in SpanLogHandler(label: label, pipeline: pipeline) },
                            metadataProvider: Logger.MetadataProvider { ["request_id": "from-provider"] })
    Logger(label: "child").info("with the bootstrap's provider")
    pipeline.flush()
    exit(0)

case "resource":
    // Another process's resource: its instance id must differ from the test process's.
    let attributes = SpanLogResource.detected(serviceName: "child").attributes
    say("\(attributes["service.instance.id"] ?? "none") \(attributes["process.pid"] ?? "none")")
    exit(0)

default:
    say("unknown mode \(arguments[1])")
    exit(2)
}
