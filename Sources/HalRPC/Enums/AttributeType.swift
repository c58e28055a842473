import CryptechHex

/// The type of a key attribute: a `u32` the caller chooses (PKCS#11 `CKA_*` values, in
/// practice), plus the vendor types of the share-export extension (design.md, SX1).
public struct AttributeType: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// SX1: the next unused leaf `q` of a hashsig private key's top-level tree
    /// (read-only, 4-byte big-endian value).
    public static let hashsigNextIndex = AttributeType(rawValue: 0x4354_0001)
    /// SX1: the first leaf `qStart` of the top-level range this board holds (read-only).
    public static let hashsigRangeStart = AttributeType(rawValue: 0x4354_0002)
    /// SX1: the end `qEnd` (exclusive) of the top-level range this board holds (read-only).
    public static let hashsigRangeEnd = AttributeType(rawValue: 0x4354_0003)
    /// SX1 two-phase export: the share a hashsig private key has exported and holds *pending*
    /// until the host confirms it stored the wrapped blob. An 8-byte value, `start ‖ end` as
    /// big-endian `u32`s, `start == end` (both 0) when nothing is pending. Setting it to the
    /// pending share's value is the host's confirmation; a board that answers it at all keeps
    /// exports pending (design.md, SX1).
    public static let hashsigPendingShare = AttributeType(rawValue: 0x4354_0004)

    public var description: String { "0x" + Hex.digits(rawValue, uppercase: true) }
}
