// The three layers of RFC 8554, each a caseless enum that namespaces its types.

/// LM-OTS, the Leighton-Micali one-time signature scheme (RFC 8554 §4).
///
/// One LM-OTS private key signs exactly one message. LMS trees ([`LMS`](LMS)) hold 2^h of them.
public enum LMOTS {}

/// LMS, the Leighton-Micali signature scheme: a Merkle tree over 2^h LM-OTS keys (RFC 8554 §5).
public enum LMS {}

/// HSS, the hierarchical signature system: L levels of LMS trees, each level signing the public
/// key of the one below it (RFC 8554 §6).
///
/// Verifying (host side):
///
///     let publicKey = try HSS.PublicKey(bytes: publicKeyBytes)          // throws if malformed
///     switch try publicKey.verify(signature: signatureBytes, for: message) {
///     case .valid: ...
///     case .invalid(let reason): ...                                     // e.g. .rootMismatch(level: 1)
///     }
///     let q = try HSS.Signature(bytes: signatureBytes).topLeafIndex      // audit
///
/// Signing (a software key; persist the state before releasing each signature):
///
///     let key = try HSS.PrivateKey.generate(levels: [.init(.sha256M32H10, .sha256N32W4),
///                                                    .init(.sha256M32H10, .sha256N32W4)],
///                                           topKeys: .seed(try LMS.Seed.random()))
///     let signature = try key.sign(message)
///     try persist(key.signingState)                    // or key.serializedRepresentation
///     release(signature.bytes)
public enum HSS {}

extension LMOTS {
    /// Length of `I`, the key pair identifier, in bytes (RFC 8554 §4.1).
    public static let identifierLength = 16
    /// Length of `n`, the output length of SHA-256 in every SHA-256 parameter set.
    public static let hashLength = 32
}

extension HSS {
    /// The smallest and largest number of levels L an HSS key may have (RFC 8554 §6).
    public static let levelRange: ClosedRange<Int> = 1...8
}

/// Domain separators, the 16-bit constants that keep the four kinds of hash input apart
/// (RFC 8554 §4.3, §4.5, §5.3).
enum DomainSeparator {
    static let publicKey: UInt16 = 0x8080  // D_PBLC
    static let message: UInt16 = 0x8181  // D_MESG
    static let leaf: UInt16 = 0x8282  // D_LEAF
    static let interior: UInt16 = 0x8383  // D_INTR
}
