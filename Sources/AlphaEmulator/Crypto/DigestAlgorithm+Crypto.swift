import COpenSSL
import HalRPC

extension DigestAlgorithm {
    /// Whether the RPC hash functions (HASH_INITIALIZE, HASH_GET_DIGEST_LEN,
    /// HASH_GET_DIGEST_ALGORITHM_ID) accept this algorithm: every SHA-1/SHA-2 algorithm except
    /// SHA-224, which the board defines but does not map (docs/wire-protocol.md §5.2 [AMBIGUOUS]; they
    /// answer `BAD_ARGUMENTS`).
    public var isServedByHashRPC: Bool {
        switch self {
        case .sha1, .sha256, .sha512_224, .sha512_256, .sha384, .sha512: true
        default: false
        }
    }

    /// The hash's block length in bytes (docs/wire-protocol.md §5.2; what HMAC pads its key to);
    /// `nil` for `none` and unknown codes.
    public var blockLength: Int? {
        switch self {
        case .sha1, .sha224, .sha256: 64
        case .sha512_224, .sha512_256, .sha384, .sha512: 128
        default: nil
        }
    }

    /// OpenSSL's implementation; `nil` for `none` and unknown codes. The returned pointer is
    /// static and never freed.
    var openSSLDigest: OpaquePointer? {
        switch self {
        case .sha1: EVP_sha1()
        case .sha224: EVP_sha224()
        case .sha256: EVP_sha256()
        case .sha512_224: EVP_sha512_224()
        case .sha512_256: EVP_sha512_256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        default: nil
        }
    }
}
