import CryptechTransport
import HalRPC
import Logging
import NIOCore

/// One client's connection to the RPC socket. Lives on its board's event loop; the router
/// holds it strongly while any of its requests is pending.
final class ClientConnection {
    let channel: any Channel
    private(set) var handle = ClientHandle.zero
    private var reading = true

    init(channel: any Channel) {
        self.channel = channel
    }

    fileprivate func assign(_ handle: ClientHandle) { self.handle = handle }

    /// Sends a reply frame to the client.
    func send(_ frame: [UInt8]) {
        channel.writeAndFlush(frame, promise: nil)
    }

    /// Stops or resumes reading requests (backpressure when too many are queued).
    func setReading(_ on: Bool) {
        guard on != reading else { return }
        reading = on
        channel.setOption(ChannelOptions.autoRead, value: on).whenComplete { _ in }
        if on { channel.read() }
    }
}

/// The last handler of a client connection's pipeline: frames to the router.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = [UInt8]

    private let router: BoardRouter
    private let logger: Logger
    private var connection: ClientConnection?

    init(router: BoardRouter, logger: Logger) {
        self.router = router
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        let connection = ClientConnection(channel: context.channel)
        connection.assign(router.connectionOpened(connection))
        self.connection = connection
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let connection else { return }
        router.request(unwrapInboundIn(data), from: connection)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let connection { router.connectionClosed(connection.handle) }
        connection = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let framing = error as? SLIPError {
            // The decoder dropped the damaged frame and carries on; so does the connection.
            router.noteDroppedRequest()
            logger.info("bad frame from client dropped", metadata: [
                "muxd.handle": "\(connection?.handle ?? .zero)", "muxd.error": "\(framing)",
            ])
            return
        }
        logger.debug("client connection error", metadata: ["muxd.error": "\(error)"])
        context.close(promise: nil)
    }
}
