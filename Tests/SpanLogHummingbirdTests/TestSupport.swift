import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SpanLog
import SpanLogTesting
import SpanLogHummingbird
import Tracing

/// An explicit tracer and logger writing to an in-memory sink: no global bootstrap, so tests
/// run in parallel without sharing state.
struct TestTelemetry {
    let sink = InMemorySink()
    let pipeline: LogPipeline
    let tracer: SpanLogTracer
    let logger: Logger

    init(sampler: any SpanLogSampler = ConstantSampler(.recordAndSample)) {
        self.pipeline = LogPipeline(sinks: [self.sink])
        self.tracer = SpanLogTracer(configuration: .init(sampler: sampler), logPipeline: self.pipeline)
        let pipeline = self.pipeline
        self.logger = Logger(label: "test-app") { SpanLogHandler(label: $0, pipeline: pipeline) }
    }

    /// Every record written so far, parsed.
    var records: [[String: Any]] {
        self.sink.lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    func spans(named name: String) -> [[String: Any]] {
        self.records.filter { $0["record"] as? String == "span" && $0["name"] as? String == name }
    }

    func logs(message: String) -> [[String: Any]] {
        self.records.filter { $0["record"] as? String == "log" && $0["message"] as? String == message }
    }
}

extension Dictionary where Key == String, Value == Any {
    var attributes: [String: Any] { self["attributes"] as? [String: Any] ?? [:] }
    func string(_ key: String) -> String? { self[key] as? String }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
}

/// Paths below the test target's folder and the build products.
enum TestPaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

    /// The directory of the running test binary (where SwiftPM puts the package's executables).
    static var productsDirectory: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // On Linux the test binary is <products>/<package>PackageTests.xctest; on Darwin it is
        // inside a bundle: walk up to the folder that holds the .xctest.
        while url.path != "/" && url.pathComponents.contains(where: { $0.hasSuffix(".xctest") }) {
            url = url.deletingLastPathComponent()
        }
        return url.path
    }
}
