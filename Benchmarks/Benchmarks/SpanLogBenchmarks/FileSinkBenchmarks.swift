import Benchmark
import Foundation
import SpanLog

/// 4096 distinct service-log lines (~206 bytes each), shaped like real records.
private let fileSinkLines: [[UInt8]] = (0..<4096).map { seq in
    let text = "{\"timestamp\":\"2026-11-25T15:04:05.123456789Z\",\"record\":\"log\",\"level\":\"info\",\"logger\":\"bench\",\"message\":\"request handled\",\"seq\":\(seq),\"user\":\"u\(seq % 977)\",\"latency_ms\":\(seq % 313),\"route\":\"/api/v1/items/\(seq % 4099)\"}\n"
    return Array(text.utf8)
}

/// The same shape with `trace_id`/`span_id` in every line (512 traces, 8 records each, per 4096
/// lines): what the trace index has to extract.
private let tracedFileSinkLines: [[UInt8]] = (0..<4096).map { seq in
    let trace = String(UInt64(seq / 8 + 1) &* 0x9E37_79B9_7F4A_7C15, radix: 16).leftPadded(to: 16)
        + String(UInt64(seq / 8 + 7) &* 0xBF58_476D_1CE4_E5B9, radix: 16).leftPadded(to: 16)
    let span = String(UInt64(seq + 3) &* 0x94D0_49BB_1331_11EB, radix: 16).leftPadded(to: 16)
    let text = "{\"timestamp\":\"2026-11-25T15:04:05.\(String(100_000_000 + seq * 1000))Z\",\"record\":\"log\",\"level\":\"info\",\"logger\":\"bench\",\"message\":\"request handled\",\"trace_id\":\"\(trace)\",\"span_id\":\"\(span)\",\"trace_flags\":\"01\",\"seq\":\(seq),\"user\":\"u\(seq % 977)\",\"route\":\"/api/v1/items/\(seq % 4099)\"}\n"
    return Array(text.utf8)
}

extension String {
    fileprivate func leftPadded(to count: Int) -> String {
        String(repeating: "0", count: max(0, count - self.count)) + self
    }
}

/// One iteration compresses this many records (~27 MB), in the sink and in `gzip` alike.
private let recordsPerIteration = 131_072

private func temporaryDirectory() -> String {
    NSTemporaryDirectory() + "spanlog-bench-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
}

/// The file sink beside `gzip -1`/`gzip -6` on the same bytes, in one run; and the caller's cost
/// per record while the writer compresses.
func fileSinkBenchmarks() {
    let blockConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput],
        maxDuration: .seconds(6),
        maxIterations: 8,
        thresholds: [:]
    )
    for level in [1, 6] {
        Benchmark("filesink_27MB_write_flush_level_\(level)", configuration: blockConfiguration) { benchmark in
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let sink = RotatingGzipFileSink(
                configuration: .init(directory: directory, fileName: "bench", rotateInterval: .none, gzipLevel: level))
            benchmark.startMeasurement()
            for index in 0..<recordsPerIteration {
                fileSinkLines[index & 4095].withUnsafeBytes { sink.write($0) }
            }
            sink.flush()
            benchmark.stopMeasurement()
            sink.shutdown()
        }

        Benchmark("gzip_27MB_same_bytes_level_\(level)", configuration: blockConfiguration) { benchmark in
            let directory = temporaryDirectory()
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let input = directory + "/input.jsonl"
            var bytes: [UInt8] = []
            for index in 0..<recordsPerIteration { bytes.append(contentsOf: fileSinkLines[index & 4095]) }
            FileManager.default.createFile(atPath: input, contents: Data(bytes))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "gzip -\(level) -c '\(input)' > /dev/null"]
            benchmark.startMeasurement()
            try? process.run()
            process.waitUntilExit()
            benchmark.stopMeasurement()
        }
    }

    // The trace index's cost: the same traced records with indexing on and off, in one run.
    for writesIndex in [true, false] {
        Benchmark("filesink_27MB_traced_level_1_index_\(writesIndex ? "on" : "off")", configuration: blockConfiguration) { benchmark in
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let sink = RotatingGzipFileSink(
                configuration: .init(directory: directory, fileName: "bench", rotateBytes: 4 << 20, rotateInterval: .none,
                                     gzipLevel: 1, writesTraceIndex: writesIndex))
            benchmark.startMeasurement()
            for index in 0..<recordsPerIteration {
                tracedFileSinkLines[index & 4095].withUnsafeBytes { sink.write($0) }
            }
            sink.shutdown()  // closes the last file: its index is written inside the measurement
            benchmark.stopMeasurement()
        }
    }

    Benchmark(
        "filesink_caller_write",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal],
            scalingFactor: .kilo,
            maxDuration: .seconds(4),
            maxIterations: 200,
            thresholds: [.mallocCountTotal: BenchmarkThresholds(absolute: [.p90: 100])]
        )
    ) { benchmark in
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A queue that holds one iteration, so the caller never waits: the per-record cost a
        // logging call pays while the writer compresses on the other core.
        let sink = RotatingGzipFileSink(
            configuration: .init(directory: directory, fileName: "bench", rotateInterval: .none, queueBytes: 64 << 20))
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            fileSinkLines[iteration & 4095].withUnsafeBytes { sink.write($0) }
        }
        benchmark.stopMeasurement()
        sink.shutdown()
    }
}
