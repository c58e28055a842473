import CryptechTransport
import Foundation
import Logging
import NIOCore
import NIOPosix

/// Joins the board's console tty to the CTY socket: raw bytes both ways, one attached
/// client at a time (docs/wire-protocol.md §11.5), console output optionally appended to a log file.
final class ConsoleBridge {
    static let busyMessage = Array("[Console already in use, sorry]\n".utf8)

    private let eventLoop: any EventLoop
    private let device: DeviceLocator
    private let logger: Logger
    private let logFile: FileHandle?
    private var tty: (any Channel)?
    private var client: (any Channel)?
    private var retry: Scheduled<Void>?
    private var stopped = false

    init(eventLoop: any EventLoop, device: DeviceLocator, logFile: FileHandle?, logger: Logger) {
        self.eventLoop = eventLoop
        self.device = device
        self.logFile = logFile
        self.logger = logger
    }

    func start() { attempt() }

    func stop() -> EventLoopFuture<Void> {
        stopped = true
        retry?.cancel()
        client?.close(promise: nil)
        guard let tty else { return eventLoop.makeSucceededVoidFuture() }
        return tty.close().recover { _ in }
    }

    // MARK: Clients

    /// A connection to the CTY socket: attach it, or tell it the console is taken.
    func clientConnected(_ channel: any Channel) {
        if client != nil {
            var buffer = channel.allocator.buffer(capacity: Self.busyMessage.count)
            buffer.writeBytes(Self.busyMessage)
            channel.writeAndFlush(buffer).assumeIsolated().whenComplete { _ in channel.close(promise: nil) }
            return
        }
        client = channel
        logger.info("console client attached")
    }

    func clientDisconnected(_ channel: any Channel) {
        guard client === channel else { return }
        client = nil
        logger.info("console client detached")
    }

    /// Keystrokes from the attached client, to the board.
    func fromClient(_ channel: any Channel, _ bytes: ByteBuffer) {
        guard client === channel, let tty else { return }
        tty.writeAndFlush(bytes, promise: nil)
    }

    /// Console output from the board: to the client (if any) and the log.
    fileprivate func fromBoard(_ bytes: ByteBuffer) {
        if let logFile { logFile.write(Data(bytes.readableBytesView)) }
        client?.writeAndFlush(bytes, promise: nil)
    }

    // MARK: The console tty

    private func attempt() {
        guard !stopped, tty == nil else { return }
        guard let path = device.resolve() else { return scheduleRetry() }
        let port: SerialPort
        do {
            port = try SerialPort(path: path, settings: .alpha)
        } catch {
            logger.debug("console device unavailable", metadata: ["muxd.reason": "\(error)"])
            return scheduleRetry()
        }
        guard let descriptor = try? port.duplicateDescriptor() else {
            port.close()
            return scheduleRetry()
        }
        let sink = NIOLoopBound(self, eventLoop: eventLoop)
        NIOPipeBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ConsoleTTYHandler(bridge: sink.value))
                }
            }
            .takingOwnershipOfTerminal(descriptor)
            .hop(to: eventLoop)
            .assumeIsolated()
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    tty = channel
                    logger.info("console device open", metadata: ["muxd.device": "\(path)"])
                    channel.closeFuture.hop(to: eventLoop).assumeIsolated().whenComplete { [self] _ in
                        port.close()
                        tty = nil
                        client?.close(promise: nil)
                        scheduleRetry()
                    }
                case .failure:
                    port.close()
                    scheduleRetry()
                }
            }
    }

    private func scheduleRetry() {
        guard !stopped else { return }
        retry = eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(500)) { [self] in attempt() }
    }
}

/// Console tty bytes to the bridge.
private final class ConsoleTTYHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let bridge: ConsoleBridge

    init(bridge: ConsoleBridge) { self.bridge = bridge }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        bridge.fromBoard(unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A CTY socket connection: bytes to the bridge.
final class ConsoleClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let bridge: ConsoleBridge

    init(bridge: ConsoleBridge) { self.bridge = bridge }

    func channelActive(context: ChannelHandlerContext) {
        bridge.clientConnected(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        bridge.fromClient(context.channel, unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        bridge.clientDisconnected(context.channel)
        context.fireChannelInactive()
    }
}
