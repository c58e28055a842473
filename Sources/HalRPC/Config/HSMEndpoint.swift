import CryptechTransport

/// Where the board is, configured like libhal (docs/wire-protocol.md §11.1): the muxd's socket, or a
/// serial device for a direct link.
public enum HSMEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// Through the muxd: SLIP over a Unix stream socket.
    case muxd(socketPath: String)
    /// Directly on the board's RPC serial port (or a software Alpha's pty).
    case serial(devicePath: String, speed: Int)

    /// `CRYPTECH_RPC_CLIENT_SOCKET_NAME`: the muxd's RPC socket.
    public static let socketVariable = "CRYPTECH_RPC_CLIENT_SOCKET_NAME"
    /// `CRYPTECH_RPC_CLIENT_SERIAL_DEVICE`: the serial device of a direct link.
    public static let deviceVariable = "CRYPTECH_RPC_CLIENT_SERIAL_DEVICE"
    /// `CRYPTECH_RPC_CLIENT_SERIAL_SPEED`: the line speed of a direct link.
    public static let speedVariable = "CRYPTECH_RPC_CLIENT_SERIAL_SPEED"
    /// `CRYPTECH_MUXD_UID`: one more user (uid or account name) whose daemon is trusted on the
    /// muxd socket, besides root, the caller's own user and the `cryptech` account
    /// (`PeerTrust/standard`). Read each time a link opens.
    public static let muxdUIDVariable = PeerTrust.uidVariable

    /// libhal's muxd socket, used when neither an option nor `CRYPTECH_RPC_CLIENT_SOCKET_NAME`
    /// names one.
    public static let defaultSocketPath = UnixSocketConnector.defaultPath
    /// libhal's serial device for a direct link: the Alpha's RPC port as the first USB serial
    /// device.
    public static let defaultDevicePath = "/dev/ttyUSB0"
    /// libhal's line speed, the Alpha's RPC port speed (921600 baud, 8N1).
    public static let defaultSpeed = 921_600

    /// Builds the endpoint from explicit choices, falling back to the environment, then to
    /// libhal's defaults.
    ///
    /// A device or a speed chooses a direct serial link (the device from the environment
    /// when only the speed is given); otherwise the muxd's socket is used, as the Python
    /// client does. `CRYPTECH_RPC_CLIENT_SERIAL_DEVICE` alone does not choose serial: the
    /// muxd reads the same variable, and a client must not grab the port from under it.
    /// - Parameters:
    ///   - socket: `--socket`: the muxd socket path.
    ///   - device: `--device`: the serial device path.
    ///   - speed: `--speed`: the line speed.
    ///   - environment: the process environment.
    /// - Throws: ``HSMEndpointError`` when both a socket and a serial option are given, or a
    ///   speed is not a positive number.
    public static func resolve(
        socket: String? = nil, device: String? = nil, speed: Int? = nil, environment: [String: String]
    ) throws(HSMEndpointError) -> HSMEndpoint {
        if socket != nil, device != nil || speed != nil { throw .conflictingOptions }
        if device != nil || speed != nil {
            let path = device ?? environment[deviceVariable].nonEmpty ?? defaultDevicePath
            let rate: Int
            if let speed {
                rate = speed
            } else if let text = environment[speedVariable].nonEmpty {
                guard let parsed = Int(text) else { throw .badSpeed(text) }
                rate = parsed
            } else {
                rate = defaultSpeed
            }
            guard rate > 0 else { throw .badSpeed(String(rate)) }
            return .serial(devicePath: path, speed: rate)
        }
        return .muxd(socketPath: socket ?? environment[socketVariable].nonEmpty ?? defaultSocketPath)
    }

    /// A connector that reaches this endpoint. Through the muxd, the process serving the
    /// socket must be trusted (`PeerTrust/standard`: root, the caller's own user, the
    /// `cryptech` account, or `CRYPTECH_MUXD_UID`), or the link is refused before anything,
    /// a PIN least of all, is sent.
    public func connector() -> any Connector {
        switch self {
        case .muxd(let path): UnixSocketConnector(path: path)
        case .serial(let path, let speed): SerialConnector(path: path, settings: SerialSettings(speed: speed))
        }
    }

    /// Whether replies carry this client's own client word: on a direct link the board copies
    /// it; the muxd puts its connection handle there instead (docs/wire-protocol.md §11.3).
    public var echoesClientWord: Bool {
        if case .serial = self { return true }
        return false
    }

    /// The device or socket path.
    public var path: String {
        switch self {
        case .muxd(let path), .serial(let path, _): path
        }
    }

    public var description: String {
        switch self {
        case .muxd(let path): "muxd at \(path)"
        case .serial(let path, let speed): "\(path) at \(speed) baud"
        }
    }
}

extension Optional<String> {
    /// The string, unless absent or empty (an empty variable counts as unset, as in libhal).
    fileprivate var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
