import NIOCore
import NIOPosix
import Synchronization

/// Reaches boards through the muxd: SLIP over a `SOCK_STREAM` Unix socket.
public struct UnixSocketConnector: Connector {
    /// The muxd's default RPC socket (`CRYPTECH_RPC_CLIENT_SOCKET_NAME` overrides it in
    /// ``HSMEndpoint``-style configuration).
    public static let defaultPath = "/tmp/.cryptech_muxd.rpc"

    public let path: String
    public let maximumFrameLength: Int
    private let group: any EventLoopGroup

    public init(
        path: String = UnixSocketConnector.defaultPath,
        maximumFrameLength: Int = SLIP.maximumPayload,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.path = path
        self.maximumFrameLength = maximumFrameLength
        self.group = group
    }

    public var endpoint: String { path }

    public func open() async throws -> any FrameLink {
        let endpoint = path
        let maximum = maximumFrameLength
        let parts = Mutex<(FrameInbox, FramingCounter)?>(nil)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let built = try ChannelFrameLink.configure(channel, endpoint: endpoint, maximumFrameLength: maximum)
                        parts.withLock { $0 = built }
                    }
                }
                .connect(unixDomainSocketPath: path)
                .get()
        } catch let error as IOError {
            throw TransportError.system("connect", errno: error.errnoCode, endpoint: path)
        } catch {
            throw TransportError(.notFound, endpoint: path, "cannot connect (is cryptech-muxd running?): \(error)")
        }
        guard let (inbox, counter) = parts.withLock({ $0 }) else {
            preconditionFailure("channel initializer did not run")
        }
        return ChannelFrameLink(channel: channel, inbox: inbox, framing: counter, onClose: nil)
    }
}
