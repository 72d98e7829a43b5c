/// The fuzz targets: what each one feeds its input to is in its own file and in
/// `docs/reliability.md`.
enum FuzzTarget: String, CaseIterable, Sendable {
    case json
    case gzip
    case traceIndex = "trace-index"
    case traceContext = "trace-context"
    case retryAfter = "retry-after"
    case environment

    /// One line for the usage text.
    var summary: String {
        switch self {
        case .json: return "the reader's JSON parser and record lines (LogLine), written back and parsed again"
        case .gzip: return "a log file's contents: the gzip member scan, the file reader, zlib in small steps"
        case .traceIndex: return "a .idx file beside a small valid log file: loading it and a trace search"
        case .traceContext: return "traceparent and tracestate: parsing, extract, inject and parse again"
        case .retryAfter: return "an HTTP Retry-After value, parsed at several 'now' times"
        case .environment: return "NAME=value lines as the environment of every SpanLog configuration reader"
        }
    }

    /// Feeds one input to the target; a broken property or a trap crashes the process.
    func run(_ input: UnsafeRawBufferPointer) {
        switch self {
        case .json: JSONTarget.run(input)
        case .gzip: GzipTarget.run(input)
        case .traceIndex: TraceIndexTarget.run(input)
        case .traceContext: TraceContextTarget.run(input)
        case .retryAfter: RetryAfterTarget.run(input)
        case .environment: EnvironmentTarget.run(input)
        }
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes as text (invalid UTF-8 repaired, as a header or environment value would be).
    var text: String { String(decoding: self, as: UTF8.self) }
}
