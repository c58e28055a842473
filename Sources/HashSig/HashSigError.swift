import CryptechHex

/// Which encoding or field an error is about.
public enum HashSigField: String, Hashable, Sendable {
    /// An LM-OTS signature: `u32 type ‖ C ‖ y[0..p-1]` (RFC 8554 §4.5).
    case lmotsSignature = "LM-OTS signature"
    /// An LMS public key: `u32 LMS type ‖ u32 LM-OTS type ‖ I ‖ T[1]` (RFC 8554 §5.3).
    case lmsPublicKey = "LMS public key"
    /// An LMS signature: `u32 q ‖ LM-OTS signature ‖ u32 type ‖ path` (RFC 8554 §5.4).
    case lmsSignature = "LMS signature"
    /// An HSS public key: `u32 L ‖ top LMS public key` (RFC 8554 §6.1).
    case hssPublicKey = "HSS public key"
    /// An HSS signature: `u32 Nspk ‖ signed public keys ‖ LMS signature` (RFC 8554 §6.2).
    case hssSignature = "HSS signature"
    /// The 16-byte key pair identifier I that binds every hash to one tree.
    case identifier = "identifier I"
    /// The 32-byte root T[1] of a tree: the public key's value.
    case root = "root T[1]"
    /// The 32-byte secret SEED the one-time private values are derived from (RFC 8554 Appendix A).
    case seed = "SEED"
    /// The n-byte randomizer C hashed with the message (RFC 8554 §4.5).
    case randomizer = "randomizer C"
    /// The one-time private values x[i] of one leaf.
    case privateValues = "LM-OTS private values"
    /// A stored LMS private key (this module's encoding, not the RFC's).
    case lmsPrivateKey = "LMS private key"
    /// A stored HSS private key (this module's encoding).
    case hssPrivateKey = "HSS private key"
    /// A stored ``HSS/SigningState``: the next leaf index at each level, which keeps a one-time
    /// key from being used twice.
    case signingState = "signing state"
}

/// Every error the HashSig module throws.
///
/// Malformed encodings throw; a signature that parses but does not verify is not an error but an
/// ``VerificationResult/invalid(_:)`` result.
public enum HashSigError: Error, Hashable, Sendable {
    /// An LMS type code that is not a known parameter set (RFC 8554 §5.1).
    case unknownLMSType(UInt32)
    /// An LM-OTS type code that is not a known parameter set (RFC 8554 §4.1).
    case unknownLMOTSType(UInt32)
    /// The input ends before the length that its type codes require. The field is the part
    /// being read; `needed` and `available` count bytes of the whole input.
    case truncated(HashSigField, needed: Int, available: Int)
    /// Bytes are left over after a complete encoding (RFC 8554 requires exact lengths).
    case trailingBytes(HashSigField, count: Int)
    /// A fixed-size value (I, SEED, a root, C) has the wrong length.
    case invalidLength(HashSigField, expected: Int, actual: Int)
    /// The number of levels L (or Nspk + 1) is outside 1...8 (RFC 8554 §6).
    case levelCountOutOfRange(UInt32)
    /// A leaf index q is not below 2^h (RFC 8554 §5.4.2 Algorithm 6a).
    case leafIndexOutOfRange(q: UInt32, leafCount: UInt32)
    /// A leaf range is empty where it must not be, reaches past 2^h, or does not hold the next
    /// leaf index; or a narrowing would grow the range.
    case invalidLeafRange(start: UInt32, end: UInt32, next: UInt32)
    /// The key has no one-time key left: every level up to the top is used up.
    case keyExhausted
    /// A rebuilt or reloaded key does not reach the public key it must have.
    case publicKeyMismatch
    /// A stored private key or signing state is malformed or of an unknown version.
    case invalidPrivateKeyEncoding(HashSigField, reason: String)
    /// The system random generator failed (OpenSSL `RAND_bytes`/`RAND_priv_bytes`), with the
    /// OpenSSL error code.
    case randomGeneratorFailure(errorCode: UInt)
}

extension HashSigError: CustomStringConvertible {
    /// One line naming the field and what is wrong with it, for messages.
    public var description: String {
        switch self {
        case .unknownLMSType(let code):
            "unknown LMS type 0x\(Hex.digits(code, width: 8))"
        case .unknownLMOTSType(let code):
            "unknown LM-OTS type 0x\(Hex.digits(code, width: 8))"
        case .truncated(let field, let needed, let available):
            "\(field.rawValue) truncated: needs \(needed) bytes, has \(available)"
        case .trailingBytes(let field, let count):
            "\(field.rawValue) followed by \(count) trailing byte\(count == 1 ? "" : "s")"
        case .invalidLength(let field, let expected, let actual):
            "\(field.rawValue) must be \(expected) bytes, not \(actual)"
        case .levelCountOutOfRange(let levels):
            "number of levels \(levels) outside 1...8"
        case .leafIndexOutOfRange(let q, let leafCount):
            "leaf index q = \(q) not below 2^h = \(leafCount)"
        case .invalidLeafRange(let start, let end, let next):
            "invalid leaf range [\(start), \(end)) with next leaf \(next)"
        case .keyExhausted:
            "key exhausted: no one-time keys left"
        case .publicKeyMismatch:
            "the rebuilt key does not match the expected public key"
        case .invalidPrivateKeyEncoding(let field, let reason):
            "malformed \(field.rawValue): \(reason)"
        case .randomGeneratorFailure(let code):
            "random generator failed (OpenSSL error 0x\(Hex.digits(code)))"
        }
    }
}
