import Hummingbird
import Logging
import NIOCore
import NIOEmbedded

/// Calls a router's responder directly, without sockets, `iterations` times on one task: the
/// middleware's own cost, free of the network. Reports wall time and process CPU time (all
/// threads, so a file sink's compression counts) per request; CPU time is the steadier figure on
/// a shared machine.
enum InProcessBenchmark {
    struct Result {
        var wallNanoseconds: Double
        var cpuNanoseconds: Double
    }

    static func measure(router: Router<BasicRequestContext>, iterations: Int, logger: Logger) async throws -> Result {
        let responder = router.buildResponder()
        let channel = EmbeddedChannel()
        let head = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: "/")
        var bytes = 0
        for _ in 0..<min(iterations / 10, 10_000) {
            bytes &+= try await Self.once(responder, head: head, channel: channel, logger: logger)
        }
        let wallStart = BenchClock.monotonicNanoseconds()
        let cpuStart = BenchClock.processCPUNanoseconds()
        for _ in 0..<iterations {
            bytes &+= try await Self.once(responder, head: head, channel: channel, logger: logger)
        }
        let wall = BenchClock.monotonicNanoseconds() - wallStart
        let cpu = BenchClock.processCPUNanoseconds() - cpuStart
        precondition(bytes > 0)
        return Result(wallNanoseconds: Double(wall) / Double(iterations), cpuNanoseconds: Double(cpu) / Double(iterations))
    }

    private static func once(_ responder: RouterResponder<BasicRequestContext>, head: HTTPRequest, channel: EmbeddedChannel, logger: Logger) async throws -> Int {
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        let response = try await responder.respond(to: request, context: context)
        return response.body.contentLength ?? 0
    }
}
