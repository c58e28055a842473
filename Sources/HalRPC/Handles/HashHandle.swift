/// A board-side handle on a running hash or HMAC. Any client may use any value
/// (docs/wire-protocol.md §7); it is freed by HASH_FINALIZE or by a SIGN/VERIFY that consumes it.
public struct HashHandle: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `HAL_HANDLE_NONE`: in PKEY_SIGN/VERIFY, "the input bytes are given instead".
    public static let noHandle = HashHandle(rawValue: 0)

    public var description: String { hex(rawValue) }
}
