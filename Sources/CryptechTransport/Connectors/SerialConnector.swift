#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Reaches a board through its USB serial port (or any tty, such as a software Alpha's pty).
public struct SerialConnector: Connector {
    /// The tty device node, e.g. `/dev/ttyUSB0` or a software Alpha's pty.
    public let path: String
    /// How the port is configured on every open.
    public let settings: SerialSettings
    /// The longest unescaped frame accepted from the board; a longer one is dropped as damaged,
    /// never buffered.
    public let maximumFrameLength: Int
    private let group: any EventLoopGroup

    /// - Parameters:
    ///   - path: the tty device node.
    ///   - settings: the line settings; the Alpha's by default.
    ///   - maximumFrameLength: the longest frame accepted; the Alpha's packet size by default.
    ///   - group: the event loops to run the link on.
    public init(
        path: String,
        settings: SerialSettings = .alpha,
        maximumFrameLength: Int = SLIP.maximumPayload,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.path = path
        self.settings = settings
        self.maximumFrameLength = maximumFrameLength
        self.group = group
    }

    /// The tty path, for messages.
    public var endpoint: String { path }

    /// Opens and configures the port, then hands a duplicate descriptor to the event loop.
    /// The port itself (its lock and saved settings) lives until the link closes.
    public func open() async throws -> any FrameLink {
        let port = try SerialPort(path: path, settings: settings)
        let loopDescriptor: CInt
        do {
            loopDescriptor = try port.duplicateDescriptor()
        } catch {
            port.close()
            throw error
        }
        // From here the link owns `loopDescriptor`; `onClose` releases the port after it.
        return try await ChannelFrameLink.pipe(
            descriptor: loopDescriptor, endpoint: path, maximumFrameLength: maximumFrameLength,
            group: group, onClose: { port.close() })
    }
}
