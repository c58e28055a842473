/// An LM-OTS parameter set code as PKEY_GENERATE_HASHSIG carries it (docs/wire-protocol.md §5.2; all
/// SHA-256 with n = 32). Only the raw code: the parameters themselves live in `HashSig`.
public struct LMOTSTypeCode: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `LMOTS_SHA256_N32_W1`: its private key does not fit a keystore block; the board
    /// refuses it with `HAL_ERROR_UNSUPPORTED_KEY` (docs/wire-protocol.md §8.4).
    public static let sha256N32W1 = LMOTSTypeCode(rawValue: 1)
    /// `LMOTS_SHA256_N32_W2`.
    public static let sha256N32W2 = LMOTSTypeCode(rawValue: 2)
    /// `LMOTS_SHA256_N32_W4`.
    public static let sha256N32W4 = LMOTSTypeCode(rawValue: 3)
    /// `LMOTS_SHA256_N32_W8`.
    public static let sha256N32W8 = LMOTSTypeCode(rawValue: 4)

    public var description: String {
        switch self {
        case .sha256N32W1: "LMOTS_SHA256_N32_W1"
        case .sha256N32W2: "LMOTS_SHA256_N32_W2"
        case .sha256N32W4: "LMOTS_SHA256_N32_W4"
        case .sha256N32W8: "LMOTS_SHA256_N32_W8"
        default: "LM-OTS type \(rawValue)"
        }
    }
}
