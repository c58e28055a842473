import CryptechTransport

/// One board served by the daemon: its RPC tty and socket, optionally its console.
public struct BoardConfiguration: Sendable, Hashable {
    /// A short name for logs and statistics.
    public var name: String
    /// How the board's RPC tty is found on each (re)open.
    public var rpcDevice: DeviceLocator
    /// The Unix socket clients send RPCs to this board through.
    public var rpcSocket: SocketSpec
    /// How the board's console tty is found, or nil to serve no console.
    public var consoleDevice: DeviceLocator?
    /// The socket the console is served on, when there is a console.
    public var consoleSocket: SocketSpec?
    /// Append console output here (the reference's `-L`).
    public var consoleLogPath: String?

    /// - Parameters:
    ///   - name: a short name for logs and statistics.
    ///   - rpcDevice: how the RPC tty is found.
    ///   - rpcSocket: where clients connect for RPC.
    ///   - consoleDevice: how the console tty is found, if served.
    ///   - consoleSocket: where the console is served, if it is.
    ///   - consoleLogPath: a file to append console output to, if any.
    public init(
        name: String, rpcDevice: DeviceLocator, rpcSocket: SocketSpec,
        consoleDevice: DeviceLocator? = nil, consoleSocket: SocketSpec? = nil, consoleLogPath: String? = nil
    ) {
        self.name = name
        self.rpcDevice = rpcDevice
        self.rpcSocket = rpcSocket
        self.consoleDevice = consoleDevice
        self.consoleSocket = consoleSocket
        self.consoleLogPath = consoleLogPath
    }
}

/// Everything the daemon needs to run.
public struct MuxdConfiguration: Sendable, Hashable {
    /// The reference's defaults (docs/wire-protocol.md §11.1).
    public static let defaultRPCSocket = "/tmp/.cryptech_muxd.rpc"
    /// The reference daemon's console socket, so its console clients find this one.
    public static let defaultConsoleSocket = "/tmp/.cryptech_muxd.cty"

    /// The boards served, each with its own sockets and router; names and socket paths are
    /// unique (``validate()``).
    public var boards: [BoardConfiguration]
    /// How long a request may wait for the board's reply, per timeout class.
    public var timeouts: TimeoutPolicy
    /// The muxd talks to the board at 921600 8N1 without flow control, like the reference;
    /// unlike it, it holds the tty exclusively so no direct client can interleave frames.
    public var serial: SerialSettings
    /// How often a missing board is looked for again.
    public var reopenInterval: Duration
    /// Whether each connection may name only the pkey and hash handles it created
    /// (`HandleIsolation`); off restores the reference daemon's behaviour, where any
    /// client can use any handle.
    public var isolatesHandles: Bool
    /// How PIN guessing is held back per board.
    public var loginBackoff: LoginBackoff

    /// - Parameters:
    ///   - boards: the boards to serve.
    ///   - timeouts: the reply deadlines; HalRPC's classes unless overridden.
    ///   - serial: the tty settings; the Alpha's by default.
    ///   - reopenInterval: how often a missing board is looked for.
    ///   - isolatesHandles: whether a connection may name only its own handles.
    ///   - loginBackoff: how PIN guessing is held back.
    public init(
        boards: [BoardConfiguration], timeouts: TimeoutPolicy = TimeoutPolicy(),
        serial: SerialSettings = .alpha, reopenInterval: Duration = .milliseconds(500),
        isolatesHandles: Bool = true, loginBackoff: LoginBackoff = LoginBackoff()
    ) {
        self.boards = boards
        self.timeouts = timeouts
        self.serial = serial
        self.reopenInterval = reopenInterval
        self.isolatesHandles = isolatesHandles
        self.loginBackoff = loginBackoff
    }

    /// Checks names and socket paths are unique.
    public func validate() throws(MuxdError) {
        guard !boards.isEmpty else { throw .configuration("no board to serve: give --rpc-device, --board or --probe") }
        var seen = Set<String>()
        for board in boards {
            for path in [board.rpcSocket.path, board.consoleSocket?.path].compactMap({ $0 }) {
                guard seen.insert(path).inserted else { throw .configuration("socket path \(path) is used twice") }
            }
        }
        guard Set(boards.map(\.name)).count == boards.count else {
            throw .configuration("board names must be unique")
        }
    }
}
