import NIOCore
import NIOPosix
import Synchronization

/// Reaches boards through the muxd: SLIP over a `SOCK_STREAM` Unix socket.
///
/// Before a link is handed out, the process serving the socket is checked (``PeerTrust``,
/// by the kernel's `SO_PEERCRED`): the default socket path is in `/tmp`, where any local user
/// could bind it first and collect every client's PINs. A daemon the trust does not accept
/// ends the attempt with ``TransportError/Code/untrustedPeer`` before anything is sent.
public struct UnixSocketConnector: Connector {
    /// The muxd's default RPC socket (`CRYPTECH_RPC_CLIENT_SOCKET_NAME` overrides it in
    /// `HSMEndpoint`-style configuration).
    public static let defaultPath = "/tmp/.cryptech_muxd.rpc"

    /// The socket's path.
    public let path: String
    /// The longest unescaped frame accepted from the muxd; a longer one is dropped as damaged,
    /// never buffered.
    public let maximumFrameLength: Int
    /// Whose daemon is accepted on the socket.
    public let trust: PeerTrust
    private let group: any EventLoopGroup

    /// - Parameters:
    ///   - path: the socket.
    ///   - maximumFrameLength: the longest reply accepted.
    ///   - trust: whose daemon is accepted; by default root, this process's own user, the
    ///     `cryptech` account, and `CRYPTECH_MUXD_UID` (``PeerTrust/standard``).
    ///   - group: the event loops to run the link on.
    public init(
        path: String = UnixSocketConnector.defaultPath,
        maximumFrameLength: Int = SLIP.maximumPayload,
        trust: PeerTrust = .standard,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.path = path
        self.maximumFrameLength = maximumFrameLength
        self.trust = trust
        self.group = group
    }

    /// The socket path, for messages.
    public var endpoint: String { path }

    /// Connects, checks who serves the socket, and only then returns a link: a PIN is never sent
    /// to a daemon that ``trust`` does not accept.
    /// - Throws: ``TransportError``: the `connect` failure's code (`notFound` when nothing
    ///   listens), `untrustedPeer` when the daemon's uid is not accepted, `invalidArgument`
    ///   for a bad `CRYPTECH_MUXD_UID`.
    public func open() async throws -> any FrameLink {
        let endpoint = path
        let maximum = maximumFrameLength
        // A bad CRYPTECH_MUXD_UID fails before anything is connected.
        let accepted = try trust.accepted(for: endpoint)
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
        do {
            let peer = try await PeerCredentials.read(from: channel, endpoint: endpoint)
            guard accepted.admits(peer) else { throw accepted.refusal(of: peer, endpoint: endpoint) }
        } catch {
            try? await channel.close()
            throw error
        }
        guard let (inbox, counter) = parts.withLock({ $0 }) else {
            preconditionFailure("channel initializer did not run")
        }
        return ChannelFrameLink(channel: channel, inbox: inbox, framing: counter, onClose: nil)
    }
}
