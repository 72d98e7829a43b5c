import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import SpanLog
import SpanLogHummingbird
import SpanLogOTLP
import Tracing

// spanlog-demo: a small Hummingbird service instrumented with SpanLog.
//
//   swift run spanlog-demo                  start on 127.0.0.1 (free port), send a mix of requests
//                                           to itself, flush, print the failing request's trace
//                                           rebuilt from ./spanlog-demo-logs, exit 0
//   swift run spanlog-demo --serve [--port N]
//                                           keep serving until SIGINT/SIGTERM, then flush and exit 0

struct DemoArguments {
    var serve = false
    var port = 0

    static func parse(_ arguments: [String]) -> DemoArguments {
        var result = DemoArguments()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--serve":
                result.serve = true
            case "--port":
                guard let value = iterator.next(), let port = Int(value), (0...65535).contains(port) else {
                    Self.usage("--port needs a number from 0 to 65535")
                }
                result.port = port
            case "-h", "--help":
                Self.usage(nil)
            default:
                Self.usage("unknown argument \(argument)")
            }
        }
        return result
    }

    static func usage(_ problem: String?) -> Never {
        if let problem { FileHandle.standardError.write(Data("spanlog-demo: \(problem)\n".utf8)) }
        say("usage: spanlog-demo [--serve [--port N]]")
        say("  without --serve: start, send a mix of requests to itself, print a trace, exit")
        say("  --serve: keep serving on 127.0.0.1 until SIGINT or SIGTERM (port 0 = any free port)")
        exit(problem == nil ? 0 : 2)
    }
}

let arguments = DemoArguments.parse(Array(CommandLine.arguments.dropFirst()))
let environment = DemoEnvironment.merged()
let configuration = TelemetryConfiguration.fromEnvironment(environment)
// OTEL_EXPORTER=otlp with OTEL_ENDPOINT sends spans (and, with OTEL_LOGS_EXPORTER=otlp, logs) to a collector.
let telemetry = Telemetry.bootstrap(configuration, exporters: OTLPExporterProvider())
let tracer: any Tracer = telemetry.tracer ?? NoOpTracer()
let logger = Logger(label: "spanlog-demo")
let logDirectory = configuration.fileSink?.directory

let selfAddress = DemoRoutes.SelfAddress()
let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
let app = Application(
    router: DemoRoutes.router(telemetry: telemetry, tracer: tracer, selfAddress: selfAddress),
    configuration: .init(address: .hostname("127.0.0.1", port: arguments.port), serverName: "spanlog-demo"),
    onServerRunning: { channel in
        let port = channel.localAddress?.port ?? 0
        selfAddress.set(port)
        portContinuation.yield(port)
        portContinuation.finish()
    },
    logger: logger
)
// Services stop in reverse order: the server first, then telemetry flushes and closes the files.
let group = ServiceGroup(services: [telemetry, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)

if arguments.serve {
    Task {
        for await port in ports {
            say()
            say("spanlog-demo: serving on http://127.0.0.1:\(port) (Ctrl-C to stop; logs in \(logDirectory ?? "-"))")
            for path in ["/", "/users/42", "/fail", "/slow", "/jobs/reindex", "/external", "/metrics"] {
                say("  curl -i http://127.0.0.1:\(port)\(path)")
            }
        }
    }
    do {
        try await group.run()
    } catch {
        FileHandle.standardError.write(Data("spanlog-demo: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}

var outcome: DemoDriver.Outcome?
do {
    try await withThrowingTaskGroup(of: DemoDriver.Outcome?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        tasks.addTask {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return nil }
            let result = try await DemoDriver.run(port: port, metricsEnabled: telemetry.metricsRegistry != nil)
            await group.triggerGracefulShutdown()
            return result
        }
        for try await result in tasks {
            if let result { outcome = result }
        }
    }
} catch {
    FileHandle.standardError.write(Data("spanlog-demo: \(error)\n".utf8))
    exit(1)
}

guard let outcome else {
    FileHandle.standardError.write(Data("spanlog-demo: the server stopped before the requests ran\n".utf8))
    exit(1)
}
if !outcome.metrics.isEmpty {
    say()
    say("From /metrics (Prometheus text, TELEMETRY_BACKEND=\(configuration.backend.rawValue)):")
    for line in outcome.metricsHighlights { say("  \(line)") }
}
say()
guard let directory = logDirectory else {
    say("spanlog-demo: LOG_DIR is empty, so there are no log files to rebuild a trace from.")
    exit(outcome.unexpected.isEmpty ? 0 : 1)
}
guard let traceID = outcome.failingTraceID else {
    say("Tracing is off (TELEMETRY_ENABLED, TELEMETRY_BACKEND=prom or OTEL_SDK_DISABLED), so there is no trace to show;")
    say("the log lines are in \(directory).")
    exit(outcome.unexpected.isEmpty ? 0 : 1)
}
let reading = DemoTrace.read(traceID: traceID, in: directory)
for issue in reading.issues {
    FileHandle.standardError.write(Data("\(issue)\n".utf8))
}
if reading.hasErrors { exit(1) }
if let waterfall = reading.waterfall {
    say("The failing request (GET /fail), rebuilt from the gzip files in \(directory) by SpanLogReader:")
    say()
    say(waterfall, terminator: "")
} else {
    say("No span records of trace \(traceID) in \(directory) (LOG_SPANS or sampling settings may exclude them).")
}
let shownDirectory = directory.hasPrefix("./") ? String(directory.dropFirst(2)) : directory
say()
say("Try next:")
say("  swift run spanlog grep \(traceID) \(shownDirectory)")
say("  swift run spanlog trace \(traceID) \(shownDirectory)")
say("  zcat \(shownDirectory)/*.jsonl.gz | grep \(traceID)")
say("  swift run spanlog-demo --serve")
if !outcome.unexpected.isEmpty {
    FileHandle.standardError.write(Data("spanlog-demo: unexpected answers: \(outcome.unexpected.joined(separator: "; "))\n".utf8))
    exit(1)
}
exit(0)
