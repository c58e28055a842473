/// A digest algorithm (`hal_digest_algorithm_t`, docs/wire-protocol.md §5.2).
public struct DigestAlgorithm: XDRWord, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `HAL_DIGEST_ALGORITHM_NONE`.
    public static let none = DigestAlgorithm(rawValue: 0)
    /// `HAL_DIGEST_ALGORITHM_SHA1`.
    public static let sha1 = DigestAlgorithm(rawValue: 1)
    /// `HAL_DIGEST_ALGORITHM_SHA224`: defined, but the RPC hash functions reject it with
    /// `HAL_ERROR_BAD_ARGUMENTS` (docs/wire-protocol.md §5.2 [AMBIGUOUS]).
    public static let sha224 = DigestAlgorithm(rawValue: 2)
    /// `HAL_DIGEST_ALGORITHM_SHA256`.
    public static let sha256 = DigestAlgorithm(rawValue: 3)
    /// `HAL_DIGEST_ALGORITHM_SHA512_224`.
    public static let sha512_224 = DigestAlgorithm(rawValue: 4)
    /// `HAL_DIGEST_ALGORITHM_SHA512_256`.
    public static let sha512_256 = DigestAlgorithm(rawValue: 5)
    /// `HAL_DIGEST_ALGORITHM_SHA384`.
    public static let sha384 = DigestAlgorithm(rawValue: 6)
    /// `HAL_DIGEST_ALGORITHM_SHA512`.
    public static let sha512 = DigestAlgorithm(rawValue: 7)

    /// The digest length in bytes; `nil` for `none` and unknown codes.
    public var digestLength: Int? {
        switch self {
        case .sha1: 20
        case .sha224, .sha512_224: 28
        case .sha256, .sha512_256: 32
        case .sha384: 48
        case .sha512: 64
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .sha1: "SHA-1"
        case .sha224: "SHA-224"
        case .sha256: "SHA-256"
        case .sha512_224: "SHA-512/224"
        case .sha512_256: "SHA-512/256"
        case .sha384: "SHA-384"
        case .sha512: "SHA-512"
        default: "digest algorithm \(rawValue)"
        }
    }
}
