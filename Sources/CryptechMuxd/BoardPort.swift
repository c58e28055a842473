import CryptechTransport
import HalRPC
import Logging
import NIOCore
import NIOPosix

/// Keeps a board's RPC tty open for a router: opens it, hands it to the router, notices when
/// it goes away (unplug, emulator exit) and opens it again when it comes back, without the
/// daemon restarting.
final class BoardPort {
    private let router: BoardRouter
    private let device: DeviceLocator
    private let settings: SerialSettings
    private let retryInterval: TimeAmount
    private let logger: Logger
    private var channel: (any Channel)?
    private var retry: Scheduled<Void>?
    private var stopped = false
    private var failuresLogged = false
    private var attachedOnce = false

    init(router: BoardRouter, device: DeviceLocator, settings: SerialSettings, retryInterval: TimeAmount, logger: Logger) {
        self.router = router
        self.device = device
        self.settings = settings
        self.retryInterval = retryInterval
        self.logger = logger
    }

    private var eventLoop: any EventLoop { router.eventLoop }

    /// Starts opening the device (now, and again whenever it is lost).
    func start() {
        eventLoop.preconditionInEventLoop()
        attempt()
    }

    /// Closes the device and stops reopening it.
    func stop() -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        stopped = true
        retry?.cancel()
        guard let channel else { return eventLoop.makeSucceededVoidFuture() }
        return channel.close().recover { _ in }
    }

    private func attempt() {
        guard !stopped, channel == nil else { return }
        guard let path = device.resolve() else {
            noteFailure("device \(device) not present")
            return
        }
        let port: SerialPort
        do {
            port = try SerialPort(path: path, settings: settings)
        } catch {
            noteFailure("\(error)")
            return
        }
        let descriptor: CInt
        do {
            descriptor = try port.duplicateDescriptor()
        } catch {
            port.close()
            noteFailure("\(error)")
            return
        }
        let router = NIOLoopBound(self.router, eventLoop: eventLoop)
        NIOPipeBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(BoardReplyHandler(router: router.value))
                }
            }
            .takingOwnershipOfTerminal(descriptor)
            .hop(to: eventLoop)
            .assumeIsolated()
            .whenComplete { [self] result in
                switch result {
                case .success(let channel): attached(channel, port: port, path: path)
                case .failure(let error):
                    port.close()
                    noteFailure("cannot attach \(path) to the event loop: \(error)")
                }
            }
    }

    private func attached(_ channel: any Channel, port: SerialPort, path: String) {
        if stopped {
            channel.close(promise: nil)
            port.close()
            return
        }
        self.channel = channel
        failuresLogged = false
        logger.info("board device open", metadata: ["muxd.device": "\(path)"])
        channel.closeFuture.hop(to: eventLoop).assumeIsolated().whenComplete { [self] _ in
            port.close()
            self.channel = nil
            router.boardLost(reason: "\(path) closed")
            scheduleRetry()
        }
        router.boardAttached(channel)
        if !attachedOnce {
            attachedOnce = true
            // docs/wire-protocol.md §11.3: the muxd logs every client out before serving.
            router.sendOwnRequest(RPC.LogoutAll.encodeRequest(NoArguments(), client: .zero))
        }
    }

    private func noteFailure(_ reason: String) {
        if !failuresLogged {
            logger.warning("board device unavailable, will retry", metadata: [
                "muxd.device": "\(device)", "muxd.reason": "\(reason)",
            ])
            failuresLogged = true
        } else {
            logger.trace("board device still unavailable", metadata: ["muxd.reason": "\(reason)"])
        }
        scheduleRetry()
    }

    private func scheduleRetry() {
        guard !stopped else { return }
        retry?.cancel()
        retry = eventLoop.assumeIsolated().scheduleTask(in: retryInterval) { [self] in attempt() }
    }
}

/// The board pipeline's only handler: decodes reply frames from the tty's bytes and lends
/// each to the router. Requests go out as bytes the router has already framed.
private final class BoardReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let router: BoardRouter
    private var decoder = SLIPDecoder()

    init(router: BoardRouter) { self.router = router }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        router.flushBoard()
        bytes.withUnsafeReadableBytes { bytes in
            // A damaged frame is dropped up to the next END; the link stays up.
            decoder.decode(bytes, frame: { router.reply($0) }, fault: { _ in router.noteDamagedReply() })
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // EIO from an unplugged tty, and the like: the link is gone.
        context.close(promise: nil)
    }
}
