import Hummingbird
import Logging
import NIOCore
import NIOEmbedded

/// Calls a router's responder directly, without sockets, `iterations` times on one task and
/// returns nanoseconds per request: the middleware's own cost, free of the network and of the
/// scheduling noise a shared machine adds to a wrk run.
enum InProcessBenchmark {
    static func nanosecondsPerRequest(router: Router<BasicRequestContext>, iterations: Int, logger: Logger) async throws -> Double {
        let responder = router.buildResponder()
        let channel = EmbeddedChannel()
        let head = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: "/")
        var bytes = 0
        // Warm-up, then the timed loop.
        for _ in 0..<min(iterations / 10, 10_000) {
            bytes &+= try await Self.once(responder, head: head, channel: channel, logger: logger)
        }
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<iterations {
            bytes &+= try await Self.once(responder, head: head, channel: channel, logger: logger)
        }
        let elapsed = clock.now - started
        precondition(bytes > 0)
        let (seconds, attoseconds) = elapsed.components
        return (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(iterations)
    }

    private static func once(_ responder: RouterResponder<BasicRequestContext>, head: HTTPRequest, channel: EmbeddedChannel, logger: Logger) async throws -> Int {
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        let response = try await responder.respond(to: request, context: context)
        return response.body.contentLength ?? 0
    }
}
