import Foundation
import Instrumentation
import Logging
import SpanLog
import SpanLogTesting

/// A logger whose records land in a fresh in-memory sink, with the default filters.
func makeLogger(
    label: String = "test",
    levels: LevelFilter = LevelFilter(default: .trace),
    filters: [any LogFilter] = LogPipeline.defaultFilters,
    encoder: any LogRecordEncoder = JSONRecordEncoder(),
    metadataProvider: Logger.MetadataProvider? = nil
) -> (Logger, InMemorySink) {
    let sink = InMemorySink()
    let pipeline = LogPipeline(levels: levels, filters: filters, outputs: [LogOutput(encoder: encoder, sinks: [sink])])
    let logger = Logger(label: label) { SpanLogHandler(label: $0, pipeline: pipeline, metadataProvider: metadataProvider) }
    return (logger, sink)
}

/// Parses one JSON line into a dictionary, or nil if it is not a JSON object.
func parseJSONObject(_ line: String) -> [String: Any]? {
    guard let data = line.data(using: .utf8) else { return nil }
    return (try? JSONSerialization.jsonObject(with: data, options: [])) as? [String: Any]
}

/// A span context with fresh random ids.
func randomSpanContext(parent: SpanID? = nil, sampled: Bool = true) -> SpanContext {
    SpanContext(
        traceID: TraceID(high: UInt64.random(in: 1...UInt64.max), low: UInt64.random(in: 0...UInt64.max)),
        spanID: SpanID(rawValue: UInt64.random(in: 1...UInt64.max)),
        parentSpanID: parent,
        traceFlags: sampled ? .sampled : []
    )
}

/// Runs `body` with `spanContext` as the current span context.
func withSpanContext<T>(_ spanContext: SpanContext, _ body: () throws -> T) rethrows -> T {
    var context = ServiceContext.current ?? .topLevel
    context.spanContext = spanContext
    return try ServiceContext.withValue(context, operation: body)
}

func withSpanContext<T>(_ spanContext: SpanContext, _ body: () async throws -> T) async rethrows -> T {
    var context = ServiceContext.current ?? .topLevel
    context.spanContext = spanContext
    return try await ServiceContext.withValue(context, operation: body)
}

/// A unique temporary directory, removed by `cleanup`.
func makeTemporaryDirectory(_ name: String = "spanlog") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
