/// The outcome of verifying a signature that parsed.
///
/// A malformed signature or key throws ``HashSigError`` instead; this type says why a
/// well-formed signature is not valid, so that callers (the CLI, the host's audit) can report it.
public enum VerificationResult: Hashable, Sendable {
    /// The signature is valid for the message and public key.
    case valid
    /// The signature is not valid, for the given reason.
    case invalid(InvalidSignatureReason)

    /// Whether the result is ``valid``.
    public var isValid: Bool { self == .valid }
}

/// Why a well-formed signature does not verify.
///
/// Levels are counted from 0, the top tree (whose public key is the HSS public key).
public enum InvalidSignatureReason: Hashable, Sendable {
    /// The signature holds Nspk + 1 levels but the public key says L (RFC 8554 §6.3 step 2).
    case levelCountMismatch(publicKey: Int, signature: Int)
    /// The LMS type in the signature at `level` differs from that level's public key
    /// (RFC 8554 §5.4.2 Algorithm 6a).
    case lmsTypeMismatch(level: Int, expected: LMSType, found: LMSType)
    /// The LM-OTS type in the signature at `level` differs from that level's public key
    /// (RFC 8554 §5.4.2 Algorithm 6a step 2c).
    case lmotsTypeMismatch(level: Int, expected: LMOTSType, found: LMOTSType)
    /// The root computed from the signature at `level` differs from that level's public key:
    /// the signature, the message or the key was altered (RFC 8554 §5.4.2 Algorithm 6).
    case rootMismatch(level: Int)
}

extension VerificationResult: CustomStringConvertible {
    /// `valid`, or `invalid: ` followed by the reason.
    public var description: String {
        switch self {
        case .valid: "valid"
        case .invalid(let reason): "invalid: \(reason)"
        }
    }
}

extension InvalidSignatureReason: CustomStringConvertible {
    /// One line naming the level and what differs, for the operator.
    public var description: String {
        switch self {
        case .levelCountMismatch(let publicKey, let signature):
            "the public key has \(publicKey) level\(publicKey == 1 ? "" : "s") but the signature has \(signature)"
        case .lmsTypeMismatch(let level, let expected, let found):
            "level \(level): signature is \(found), public key is \(expected)"
        case .lmotsTypeMismatch(let level, let expected, let found):
            "level \(level): signature is \(found), public key is \(expected)"
        case .rootMismatch(let level):
            "level \(level): the computed root differs from the public key"
        }
    }
}
