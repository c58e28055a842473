import CryptechTransport
import HalRPC
import Logging
import NIOCore

/// One client's connection to the RPC socket. Lives on its board's event loop; the router
/// holds it strongly while any of its requests is pending.
final class ClientConnection {
    private let context: ChannelHandlerContext
    private(set) var handle = ClientHandle.zero
    private var reading = true
    /// The frame being sent. Once the socket has taken the previous one this storage is ours
    /// alone again and is reused; while a write is still pending, clearing it starts afresh.
    private var outbound: ByteBuffer

    init(context: ChannelHandlerContext) {
        self.context = context
        outbound = context.channel.allocator.buffer(capacity: 256)
    }

    private var channel: any Channel { context.channel }

    fileprivate func assign(_ handle: ClientHandle) { self.handle = handle }

    /// Sends one message to the client as a SLIP frame.
    func send(_ message: UnsafeRawBufferPointer) {
        outbound.clear()
        outbound.writeSLIPFrame(message)
        context.writeAndFlush(NIOAny(outbound), promise: nil)
    }

    func send(_ message: [UInt8]) {
        message.withUnsafeBytes { send($0) }
    }

    /// Stops or resumes reading requests (backpressure when too many are queued).
    func setReading(_ on: Bool) {
        guard on != reading else { return }
        reading = on
        channel.setOption(ChannelOptions.autoRead, value: on).whenComplete { _ in }
        if on { channel.read() }
    }
}

/// A client connection's only handler: decodes SLIP frames from the socket's bytes and
/// lends each to the router (no copy, no allocation per request); replies are encoded by
/// `ClientConnection.send`.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let router: BoardRouter
    private let logger: Logger
    private var decoder = SLIPDecoder()
    private var connection: ClientConnection?

    init(router: BoardRouter, logger: Logger) {
        self.router = router
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        let connection = ClientConnection(context: context)
        connection.assign(router.connectionOpened(connection))
        self.connection = connection
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let connection else { return }
        let bytes = unwrapInboundIn(data)
        bytes.withUnsafeReadableBytes { bytes in
            decoder.decode(bytes, frame: { router.request($0, from: connection) }, fault: { error in
                // The damaged frame is dropped up to the next END; the connection carries on.
                router.noteDroppedRequest()
                logger.info("bad frame from client dropped", metadata: [
                    "muxd.handle": "\(connection.handle)", "muxd.error": "\(error)",
                ])
            })
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let connection { router.connectionClosed(connection.handle) }
        connection = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("client connection error", metadata: ["muxd.error": "\(error)"])
        context.close(promise: nil)
    }
}
