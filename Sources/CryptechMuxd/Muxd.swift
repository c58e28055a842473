#if canImport(Glibc)
import Glibc
#endif
import CoreMetrics
import CryptechTransport
import Foundation
import HalRPC
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The multiplexer daemon: for each configured board, an RPC socket many clients share,
/// a console socket, and the board's ttys. Each board runs on an event loop of its own.
///
/// Run it as a swift-service-lifecycle `Service` in a `ServiceGroup` (``run()``), or call
/// ``start()`` and ``shutdown()`` directly.
public final class Muxd: Sendable {
    private let configuration: MuxdConfiguration
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let boards: [NIOLoopBound<BoardRuntime>]
    private let isShutDown = Mutex(false)

    /// Prepares (does not start) a daemon for `configuration`.
    /// - Parameters:
    ///   - configuration: the boards to serve, each with its device and socket.
    ///   - logger: the daemon's log; payload bytes and PINs never reach it above debug.
    ///   - metricsFactory: where the counters and latencies of ``MuxdMetrics`` go;
    ///     the process's `MetricsSystem` by default (which records nothing unless bootstrapped).
    /// - Throws: ``MuxdError`` for an invalid configuration.
    public init(configuration: MuxdConfiguration, logger: Logger,
                metricsFactory: any MetricsFactory = MetricsSystem.factory) throws(MuxdError) {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        let threads = max(1, min(configuration.boards.count, System.coreCount))
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var runtimes: [NIOLoopBound<BoardRuntime>] = []
        for board in configuration.boards {
            let loop = group.next()
            let runtime = try! loop.submit {
                NIOLoopBound(BoardRuntime(board: board, configuration: configuration, eventLoop: loop,
                                          metricsFactory: metricsFactory, logger: logger), eventLoop: loop)
            }.wait()
            runtimes.append(runtime)
        }
        boards = runtimes
    }

    /// Binds every socket and starts opening the boards. Returns once clients can connect.
    /// - Throws: ``MuxdError`` when a socket path is taken or cannot be bound; sockets bound
    ///   so far are closed again.
    public func start() async throws {
        do {
            for board in boards {
                try await board.eventLoop.flatSubmit { board.value.start() }.get()
            }
        } catch {
            await shutdown()
            throw error
        }
        logger.info("cryptech-muxd serving", metadata: [
            "muxd.sockets": "\(configuration.boards.map(\.rpcSocket.path).joined(separator: ","))",
        ])
    }

    /// Stops serving: closes sockets and ttys and unlinks the socket files. Idempotent.
    public func shutdown() async {
        let already = isShutDown.withLock { done in
            defer { done = true }
            return done
        }
        guard !already else { return }
        for board in boards {
            try? await board.eventLoop.flatSubmit { board.value.stop() }.get()
        }
        try? await group.shutdownGracefully()
    }

    /// A snapshot of every board's counters, by board name.
    public func statistics() async -> [String: BoardStatistics] {
        var result: [String: BoardStatistics] = [:]
        guard !isShutDown.withLock({ $0 }) else { return result }
        for board in boards {
            if let (name, stats) = try? await board.eventLoop.submit({ (board.value.name, board.value.router.statistics) }).get() {
                result[name] = stats
            }
        }
        return result
    }

    /// Logs the counters at info level (the `--stats` summary and SIGUSR1).
    public func logStatistics() async {
        for (name, stats) in await statistics().sorted(by: { $0.key < $1.key }) {
            logger.info("statistics", metadata: [
                "muxd.board": "\(name)", "muxd.traffic": "\(stats.traffic.summary)",
                "muxd.stray_replies": "\(stats.strayReplies)", "muxd.dropped_requests": "\(stats.droppedRequests)",
                "muxd.connections_open": "\(stats.connectionsOpen)", "muxd.connections_total": "\(stats.connectionsAccepted)",
                "muxd.board_losses": "\(stats.boardLosses)",
            ])
            for (handle, client) in stats.clients.sorted(by: { $0.key < $1.key }) {
                logger.info("client statistics", metadata: [
                    "muxd.board": "\(name)", "muxd.handle": "\(ClientHandle(rawValue: handle))", "muxd.traffic": "\(client.summary)",
                ])
            }
        }
    }
}

/// One board's sockets, ports and router; lives on its event loop.
final class BoardRuntime {
    let name: String
    let router: BoardRouter
    private let board: BoardConfiguration
    private let eventLoop: any EventLoop
    private let port: BoardPort
    private let console: ConsoleBridge?
    private let logger: Logger
    private var servers: [any Channel] = []
    private var boundPaths: [String] = []

    init(board: BoardConfiguration, configuration: MuxdConfiguration, eventLoop: any EventLoop,
         metricsFactory: any MetricsFactory, logger: Logger) {
        var logger = logger
        logger[metadataKey: "muxd.board"] = "\(board.name)"
        self.name = board.name
        self.board = board
        self.eventLoop = eventLoop
        self.logger = logger
        router = BoardRouter(name: board.name, eventLoop: eventLoop, policy: configuration.timeouts,
                             isolatesHandles: configuration.isolatesHandles, loginBackoff: configuration.loginBackoff,
                             metricsFactory: metricsFactory, logger: logger)
        port = BoardPort(router: router, device: board.rpcDevice, settings: configuration.serial,
                         retryInterval: .nanoseconds(configuration.reopenInterval.nanosecondsClamped), logger: logger)
        if let device = board.consoleDevice, board.consoleSocket != nil {
            let log = board.consoleLogPath.flatMap { path -> FileHandle? in
                if !FileManager.default.fileExists(atPath: path) {
                    _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
                }
                let handle = FileHandle(forWritingAtPath: path)
                handle?.seekToEndOfFile()
                return handle
            }
            console = ConsoleBridge(eventLoop: eventLoop, device: device, logFile: log, logger: logger)
        } else {
            console = nil
        }
    }

    /// Listens on the RPC socket (and the console's), then starts opening the ttys.
    func start() -> EventLoopFuture<Void> {
        let rpc: Int32
        let console: Int32?
        do {
            (rpc, console) = try listen()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        let router = NIOLoopBound(router, eventLoop: eventLoop)
        let logger = self.logger
        // NIO owns each descriptor from here, and closes it if registering fails.
        let rpcServer = ServerBootstrap(group: eventLoop)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ClientConnectionHandler(router: router.value, logger: logger))
                }
            }
            .withBoundSocket(rpc)
        // The console's descriptor is handed over only once the RPC socket is served.
        rpcServer.whenFailure { _ in if let console { close(console) } }
        return rpcServer.hop(to: eventLoop).assumeIsolated().map { [self] channel in
            servers.append(channel)
        }.flatMap { [self] () -> EventLoopFuture<Void> in
            guard let bridge = self.console, let console else { return eventLoop.makeSucceededVoidFuture() }
            let loopBridge = NIOLoopBound(bridge, eventLoop: eventLoop)
            return ServerBootstrap(group: eventLoop)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ConsoleClientHandler(bridge: loopBridge.value))
                    }
                }
                .withBoundSocket(console)
                .hop(to: eventLoop).assumeIsolated()
                .map { [self] channel in servers.append(channel) }
                .nonisolated()
        }.map { [self] in
            port.start()
            self.console?.start()
        }.nonisolated()
    }

    /// The listening RPC socket and console socket (when a console is served), their paths
    /// remembered for ``stop()`` to unlink. On failure nothing stays open.
    private func listen() throws(MuxdError) -> (rpc: Int32, console: Int32?) {
        try SocketListener.prepare(board.rpcSocket.path)
        if let spec = board.consoleSocket { try SocketListener.prepare(spec.path) }
        let rpc = try SocketListener.listen(board.rpcSocket, backlog: 256)
        boundPaths.append(board.rpcSocket.path)
        guard let spec = board.consoleSocket, console != nil else { return (rpc, nil) }
        do throws(MuxdError) {
            let fd = try SocketListener.listen(spec, backlog: 256)
            boundPaths.append(spec.path)
            return (rpc, fd)
        } catch {
            close(rpc)
            throw error
        }
    }

    func stop() -> EventLoopFuture<Void> {
        let closing = servers.map { $0.close().recover { _ in } } + [port.stop()] + (console.map { [$0.stop()] } ?? [])
        return EventLoopFuture.andAllComplete(closing, on: eventLoop).map { [boundPaths] in
            // docs/wire-protocol.md §11.1: the socket files are unlinked at exit.
            for path in boundPaths { unlink(path) }
        }
    }
}
