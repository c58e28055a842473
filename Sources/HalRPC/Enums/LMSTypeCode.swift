/// An LMS parameter set code as PKEY_GENERATE_HASHSIG carries it (docs/wire-protocol.md §5.2; all
/// SHA-256 with n = m = 32). Only the raw code: the parameters themselves live in `HashSig`.
public struct LMSTypeCode: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `LMS_SHA256_N32_H5` (h = 5).
    public static let sha256N32H5 = LMSTypeCode(rawValue: 5)
    /// `LMS_SHA256_N32_H10` (h = 10).
    public static let sha256N32H10 = LMSTypeCode(rawValue: 6)
    /// `LMS_SHA256_N32_H15` (h = 15).
    public static let sha256N32H15 = LMSTypeCode(rawValue: 7)
    /// `LMS_SHA256_N32_H20` (h = 20).
    public static let sha256N32H20 = LMSTypeCode(rawValue: 8)
    /// `LMS_SHA256_N32_H25` (h = 25).
    public static let sha256N32H25 = LMSTypeCode(rawValue: 9)

    public var description: String {
        switch self {
        case .sha256N32H5: "LMS_SHA256_N32_H5"
        case .sha256N32H10: "LMS_SHA256_N32_H10"
        case .sha256N32H15: "LMS_SHA256_N32_H15"
        case .sha256N32H20: "LMS_SHA256_N32_H20"
        case .sha256N32H25: "LMS_SHA256_N32_H25"
        default: "LMS type \(rawValue)"
        }
    }
}
