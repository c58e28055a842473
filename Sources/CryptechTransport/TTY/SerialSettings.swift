/// How a serial port is configured: always raw 8N1 with CLOCAL|CREAD; these are the choices.
public struct SerialSettings: Sendable, Hashable {
    /// Whether the UART paces the sender with handshake lines.
    public enum FlowControl: Sendable, Hashable {
        /// No flow control: what the muxd and the Python client use with the Alpha.
        case none
        /// RTS/CTS hardware handshake (the board's UARTs support it).
        case rtsCts
    }

    /// Line speed in bits per second. Standard rates use the classic termios constants;
    /// any other rate goes through termios2 (`BOTHER`) on Linux.
    public var speed: Int
    /// The handshake; none for the Alpha.
    public var flowControl: FlowControl
    /// Take an exclusive lock (`flock` and `TIOCEXCL`) so a second opener fails with `busy`.
    public var exclusive: Bool
    /// Ask the driver for low latency (`ASYNC_LOW_LATENCY`); advisory.
    public var lowLatency: Bool

    /// The Alpha's RPC port: 921600 8N1, no flow control, exclusive, low latency.
    public static let alpha = SerialSettings()

    /// The defaults are the Alpha's RPC port (``alpha``).
    /// - Parameters:
    ///   - speed: the line speed in bits per second.
    ///   - flowControl: the handshake.
    ///   - exclusive: whether a second opener must fail with `busy`.
    ///   - lowLatency: whether to ask the driver for low latency.
    public init(speed: Int = 921_600, flowControl: FlowControl = .none, exclusive: Bool = true, lowLatency: Bool = true) {
        self.speed = speed
        self.flowControl = flowControl
        self.exclusive = exclusive
        self.lowLatency = lowLatency
    }
}
