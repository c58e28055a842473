/// The client word of every request and reply (docs/wire-protocol.md §3.1): the board keys login
/// state and volatile-key ownership on it. Through the muxd it is replaced by the muxd's
/// per-connection handle.
public struct ClientHandle: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Client 0: what the Python client always sends. Special on the board: its volatile
    /// keys are visible to every client and LOGOUT does not delete them (docs/wire-protocol.md §3.1).
    public static let zero = ClientHandle(rawValue: 0)

    public var description: String { hex(rawValue) }
}
