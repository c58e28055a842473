import HalRPC

/// A key identified from DER the way PKEY_LOAD (and the last step of PKEY_IMPORT) does it
/// (docs/wire-protocol.md §4.3): PKCS#8 PrivateKeyInfo first, SubjectPublicKeyInfo otherwise; the
/// algorithm OID decides the type.
///
///     switch try KeyMaterial(der: request.der) {
///     case .rsaPrivate(let key): ...
///     case .hashsigPublic(let spki): ...      // stored verbatim, parsed at verify time
///     ...
///     }
public enum KeyMaterial: Sendable {
    /// A PKCS#8 RSA private key, for PKEY_SIGN.
    case rsaPrivate(RSAPrivateKey)
    /// An RSA SubjectPublicKeyInfo, for PKEY_VERIFY.
    case rsaPublic(RSAPublicKey)
    /// A PKCS#8 EC private key, for PKEY_SIGN.
    case ecPrivate(ECPrivateKey)
    /// An EC SubjectPublicKeyInfo, for PKEY_VERIFY.
    case ecPublic(ECPublicKey)
    /// The §8.6 HSS private key record (also an imported share).
    case hashsigPrivate(HashSigPrivateKeyRecord)
    /// A hashsig SubjectPublicKeyInfo, kept as given. Like the reference, only the OID is
    /// checked at load; `HashSigPublicKeyInfo/init(der:)` parses it when it is used (a raw
    /// RFC 8708 key loads, then fails there with `ASN1_PARSE_FAILED`, §8.2).
    case hashsigPublic(spki: [UInt8])

    /// Identifies and loads `der`.
    /// - Throws: ``CryptoError/unsupportedKey(_:)`` (`UNSUPPORTED_KEY`) for an algorithm other
    ///   than rsaEncryption, id-ecPublicKey on P-256/P-384/P-521 and id-alg-mts-hashsig;
    ///   ``CryptoError/malformedDER(_:)`` or ``CryptoError/malformedKey(_:)``
    ///   (`ASN1_PARSE_FAILED`) for DER that is neither structure or a key OpenSSL refuses;
    ///   ``CryptoError/keyNotOnCurve(_:)`` for an EC public point off its curve.
    public init(der: [UInt8]) throws(CryptoError) {
        if let info = try? DER.PrivateKeyInfo(der: der) {
            switch info.algorithm.algorithm {
            case .rsaEncryption: self = .rsaPrivate(try RSAPrivateKey(privateKeyInfo: der))
            case .ecPublicKey: self = .ecPrivate(try ECPrivateKey(privateKeyInfo: der))
            case .mtsHashSig: self = .hashsigPrivate(try HashSigPrivateKeyRecord(privateKeyInfo: info))
            case let other: throw .unsupportedKey("private key algorithm \(other)")
            }
            return
        }
        let info: DER.SubjectPublicKeyInfo
        do { info = try DER.SubjectPublicKeyInfo(der: der) } catch { throw .malformedDER(error) }
        switch info.algorithm.algorithm {
        case .rsaEncryption: self = .rsaPublic(try RSAPublicKey(subjectPublicKeyInfo: der))
        case .ecPublicKey: self = .ecPublic(try ECPublicKey(subjectPublicKeyInfo: der))
        case .mtsHashSig: self = .hashsigPublic(spki: der)
        case let other: throw .unsupportedKey("public key algorithm \(other)")
        }
    }

    /// The board's key type.
    public var keyType: KeyType {
        switch self {
        case .rsaPrivate: .rsaPrivate
        case .rsaPublic: .rsaPublic
        case .ecPrivate: .ecPrivate
        case .ecPublic: .ecPublic
        case .hashsigPrivate: .hashsigPrivate
        case .hashsigPublic: .hashsigPublic
        }
    }

    /// The curve for EC keys, `none` otherwise (§5.2).
    public var curve: Curve {
        switch self {
        case .ecPrivate(let key): key.curve
        case .ecPublic(let key): key.curve
        default: .none
        }
    }
}
