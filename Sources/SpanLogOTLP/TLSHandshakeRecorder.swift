#if OTLPGRPC
import NIOCore
import NIOSSL
import Synchronization

/// Remembers the last TLS error of a gRPC channel's connections. grpc-swift retries a failed
/// connection by itself and a call waiting for one ends as `deadlineExceeded` without the cause;
/// this recorder, put behind each connection's TLS handler, keeps the cause (a certificate that
/// failed verification, a handshake the collector refused) so the export's failure can name it.
///
/// ```swift
/// let recorder = TLSHandshakeRecorder()
/// config.channelDebuggingCallbacks.onCreateTCPConnection = recorder.install
/// let cause = recorder.lastError(since: callStart)   // "TLS: the collector's certificate failed verification …"
/// ```
final class TLSHandshakeRecorder: Sendable {
    private let last = Mutex<(at: ContinuousClock.Instant, text: String)?>(nil)

    /// The last TLS error recorded at or after `start`, in words.
    func lastError(since start: ContinuousClock.Instant) -> String? {
        self.last.withLock { last in last.flatMap { $0.at >= start ? $0.text : nil } }
    }

    func record(_ error: any Error) {
        guard error is NIOSSLError || error is BoringSSLError else { return }
        let text = OTLPTLSFailure.describe(error)
        self.last.withLock { $0 = (ContinuousClock.now, text) }
    }

    /// Adds the recording handler right after the connection's TLS handler, if it has one.
    var install: @Sendable (any Channel) -> EventLoopFuture<Void> {
        { [self] channel in
            channel.eventLoop.makeCompletedFuture {
                let pipeline = channel.pipeline.syncOperations
                guard let tls = try? pipeline.handler(type: NIOSSLClientHandler.self) else { return }
                try pipeline.addHandler(ErrorHandler(recorder: self), position: .after(tls))
            }
        }
    }

    /// Passes everything on; notes the errors it sees.
    private final class ErrorHandler: ChannelInboundHandler {
        typealias InboundIn = NIOAny
        let recorder: TLSHandshakeRecorder

        init(recorder: TLSHandshakeRecorder) { self.recorder = recorder }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            self.recorder.record(error)
            context.fireErrorCaught(error)
        }
    }
}
#endif
