import COpenSSL
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
    /// `r ‖ s`, each left-padded to the order length (rpc-wire.md §4.3 PKEY_VERIFY).
    /// - Parameters:
    ///   - signature: `r ‖ s`, ``Curve/signatureLength`` bytes.
    ///   - digest: the digest itself (ECDSA uses its leftmost order-length bits).
    /// - Returns: `false` for a wrong signature, including one of the wrong length or with r or
    ///   s out of range.
    /// - Throws: ``CryptoError/openSSL(_:)`` only if OpenSSL cannot set up the operation.
    public func isValidSignature(_ signature: [UInt8], digest: [UInt8]) throws(CryptoError) -> Bool {
        guard let half = curve.orderLength, signature.count == 2 * half else { return false }
        let der = try Self.derSignature(r: signature[..<half], s: signature[half...])
        return try key.withContext { (context) throws(CryptoError) in
            guard EVP_PKEY_verify_init(context) == 1 else { throw .openSSL(.capture("EVP_PKEY_verify_init")) }
            let message = digest.isEmpty ? [0] : digest
            let status = EVP_PKEY_verify(context, der, der.count, message, digest.count)
            // 0 and negative both mean "invalid"; drop the reason.
            ERR_clear_error()
            return status == 1
        }
    }

    /// The DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5480 §2.2.3) that
    /// OpenSSL verifies, from fixed-length halves.
    static func derSignature(r: ArraySlice<UInt8>, s: ArraySlice<UInt8>) throws(CryptoError) -> [UInt8] {
        guard let signature = ECDSA_SIG_new() else { throw .openSSL(.capture("ECDSA_SIG_new")) }
        defer { ECDSA_SIG_free(signature) }
        let rNumber = Array(r).withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        let sNumber = Array(s).withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        guard let rNumber, let sNumber, ECDSA_SIG_set0(signature, rNumber, sNumber) == 1 else {
            BN_free(rNumber)
            BN_free(sNumber)
            throw .openSSL(.capture("ECDSA_SIG_set0"))
        }
        // ECDSA_SIG_set0 took ownership of both numbers.
        let length = Int(i2d_ECDSA_SIG(signature, nil))
        guard length > 0 else { throw .openSSL(.capture("i2d_ECDSA_SIG")) }
        var der = [UInt8](repeating: 0, count: length)
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return Int(i2d_ECDSA_SIG(signature, &cursor))
        }
        guard written == length else { throw .openSSL(.capture("i2d_ECDSA_SIG")) }
        return der
    }
}
