/// A board-side handle on an open key. Opaque to the client (docs/wire-protocol.md §5.2: its bits
/// encode a slot, a counter and the keystore, but nothing may rely on that).
public struct PKeyHandle: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `HAL_HANDLE_NONE`.
    public static let noHandle = PKeyHandle(rawValue: 0)

    public var description: String { hex(rawValue) }
}
