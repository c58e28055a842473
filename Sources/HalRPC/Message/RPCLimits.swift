/// Sizes every peer agrees on (docs/wire-protocol.md §1.4).
public enum RPCLimits {
    /// `HAL_RPC_MAX_PKT_SIZE`: the largest request or reply, unescaped. The board's buffers
    /// are exactly this big; it silently truncates anything longer, so the client refuses to
    /// send it.
    public static let maximumMessage = 16384
    /// Room for results after the 12-byte reply header ("space" in docs/wire-protocol.md): the board
    /// answers `HAL_ERROR_RPC_PACKET_OVERFLOW` when a requested size would not fit.
    public static let replySpace = maximumMessage - ReplyHeader.size
    /// The longest opaque one reply can carry: a length word and the padded bytes must fit
    /// the reply space (docs/wire-protocol.md §4.3, GET_RANDOM).
    public static let maximumResultOpaque = replySpace - 4

    /// Whether `fixed` bytes plus a variable opaque of `length` bytes (its length word and
    /// padding) fit the reply space, computed without the 32-bit wrap of the reference
    /// (docs/wire-protocol.md §4.3, §13.16).
    public static func fitsReplySpace(opaqueOf length: UInt32, plus fixed: UInt64 = 0) -> Bool {
        fixed + 4 + ((UInt64(length) + 3) & ~3) <= UInt64(replySpace)
    }
    /// The firmware's version word, `RPC_VERSION` (1.1.1.0).
    public static let version: UInt32 = 0x0101_0100
}
