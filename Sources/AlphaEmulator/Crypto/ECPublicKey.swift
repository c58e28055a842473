import COpenSSL
import CryptechECDSA
import HalRPC

/// An ECDSA public key on P-256, P-384 or P-521: an EC_PUBLIC key loaded from its
/// SubjectPublicKeyInfo, or the public half of an ``ECPrivateKey``.
public struct ECPublicKey: Sendable {
    /// The named curve.
    public let curve: Curve
    let key: EVPKey

    init(curve: Curve, key: EVPKey) {
        self.curve = curve
        self.key = key
    }

    /// Loads a SubjectPublicKeyInfo with algorithm id-ecPublicKey and a named curve (RFC 5480).
    /// - Throws: ``CryptoError/malformedDER(_:)`` for malformed DER,
    ///   ``CryptoError/unsupportedKey(_:)`` for another algorithm or curve (or explicit curve
    ///   parameters), ``CryptoError/keyNotOnCurve(_:)`` for an uncompressed point that is not on
    ///   the curve, ``CryptoError/malformedKey(_:)`` if OpenSSL refuses the key otherwise.
    public init(subjectPublicKeyInfo der: [UInt8]) throws(CryptoError) {
        let info: DER.SubjectPublicKeyInfo
        do { info = try DER.SubjectPublicKeyInfo(der: der) } catch { throw .malformedDER(error) }
        let curve = try ECPrivateKey.curve(of: info.algorithm)
        let key: EVPKey
        do {
            key = try EVPKey.decodeSubjectPublicKeyInfo(der)
        } catch {
            // OpenSSL refuses a point off the curve when decoding; tell that apart from junk
            // by its shape: 04 ‖ X ‖ Y of the curve's field length (SEC 1 §2.3.3).
            let fieldLength = curve.orderLength ?? 0
            if info.publicKey.count == 1 + 2 * fieldLength, info.publicKey.first == 0x04 {
                throw .keyNotOnCurve(curve)
            }
            throw error
        }
        guard key.baseID == EVP_PKEY_EC else { throw .unsupportedKey("not an EC key") }
        self.init(curve: curve, key: key)
    }

    /// The SubjectPublicKeyInfo DER (id-ecPublicKey, named curve, uncompressed point).
    /// - Throws: ``CryptoError/openSSL(_:)`` if OpenSSL cannot encode it.
    public func subjectPublicKeyInfo() throws(CryptoError) -> [UInt8] {
        try key.subjectPublicKeyInfoDER()
    }

    /// Whether `signature` is this key's ECDSA signature over `digest` in the board's form
    /// `r ‖ s`, each left-padded to the order length (docs/wire-protocol.md §4.3 PKEY_VERIFY). The host
    /// checks ledger checkpoints with the same `ECDSAVerifier`.
    /// - Parameters:
    ///   - signature: `r ‖ s`, `Curve/signatureLength` bytes.
    ///   - digest: the digest itself (ECDSA uses its leftmost order-length bits).
    /// - Returns: `false` for a wrong signature, including one of the wrong length or with r or
    ///   s out of range.
    /// - Throws: ``CryptoError/openSSL(_:)`` only if OpenSSL cannot set up the operation.
    public func isValidSignature(_ signature: [UInt8], digest: [UInt8]) throws(CryptoError) -> Bool {
        guard let half = curve.orderLength else { return false }
        let spki = try subjectPublicKeyInfo()
        do throws(ECDSAVerifier.Failure) {
            return try ECDSAVerifier.isValid(signature, digest: digest, subjectPublicKeyInfo: spki, orderLength: half)
        } catch {
            throw .openSSL(OpenSSLError(function: error.function, code: 0, reason: ""))
        }
    }
}
