import COpenSSL
import HalRPC

/// An RSA public key: an RSA_PUBLIC key loaded from its SubjectPublicKeyInfo, or the public half
/// of an ``RSAPrivateKey``.
///
/// As a PKEY_EXPORT KEKEK it encrypts the backup KEK (docs/wire-protocol.md §9.2); it verifies PKCS#1 v1.5
/// signatures over a caller-supplied DigestInfo (§4.3 PKEY_VERIFY).
public struct RSAPublicKey: Sendable {
    let key: EVPKey

    init(key: EVPKey) {
        self.key = key
    }

    /// Loads a SubjectPublicKeyInfo with algorithm rsaEncryption.
    /// - Throws: ``CryptoError/malformedDER(_:)`` for malformed DER or parameters other than
    ///   NULL/absent, ``CryptoError/unsupportedKey(_:)`` for another algorithm,
    ///   ``CryptoError/malformedKey(_:)`` if OpenSSL refuses the key.
    public init(subjectPublicKeyInfo der: [UInt8]) throws(CryptoError) {
        let info: DER.SubjectPublicKeyInfo
        do { info = try DER.SubjectPublicKeyInfo(der: der) } catch { throw .malformedDER(error) }
        try RSAPrivateKey.checkAlgorithm(info.algorithm)
        let key = try EVPKey.decodeSubjectPublicKeyInfo(der)
        guard key.baseID == EVP_PKEY_RSA else { throw .unsupportedKey("not an RSA key") }
        self.key = key
    }

    /// The SubjectPublicKeyInfo DER (rsaEncryption with NULL parameters).
    /// - Throws: ``CryptoError/openSSL(_:)`` if OpenSSL cannot encode it.
    public func subjectPublicKeyInfo() throws(CryptoError) -> [UInt8] {
        try key.subjectPublicKeyInfoDER()
    }

    /// The modulus length in bytes, k: the length of every signature and ciphertext.
    public var modulusByteCount: Int { (key.bits + 7) / 8 }

    /// Whether `signature` is this key's PKCS#1 v1.5 signature (type-1 padding, RFC 8017 §8.2.2
    /// without the hashing step) over exactly the bytes `digestInfo`.
    /// - Returns: `false` for a wrong signature, including one of the wrong length or not below
    ///   the modulus.
    /// - Throws: ``CryptoError/openSSL(_:)`` only if OpenSSL cannot set up the operation.
    public func isValidSignature(_ signature: [UInt8], digestInfo: [UInt8]) throws(CryptoError) -> Bool {
        guard signature.count == modulusByteCount else { return false }
        return try key.withContext { (context) throws(CryptoError) in
            guard EVP_PKEY_verify_init(context) == 1 else { throw .openSSL(.capture("EVP_PKEY_verify_init")) }
            guard EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1 else {
                throw .openSSL(.capture("EVP_PKEY_CTX_set_rsa_padding"))
            }
            // A non-null pointer for empty input.
            let message = digestInfo.isEmpty ? [0] : digestInfo
            let status = EVP_PKEY_verify(context, signature, signature.count, message, digestInfo.count)
            // 0 and negative both mean "not this key's signature over these bytes"; drop the
            // reason so it cannot leak into a later error.
            ERR_clear_error()
            return status == 1
        }
    }

    /// Encrypts a backup KEK with PKCS#1 v1.5 type-2 padding (docs/wire-protocol.md §9.2 step 5):
    /// `00 02 ‖ PS (k − 3 − |kek| non-zero random bytes) ‖ 00 ‖ kek`, then the RSA public
    /// operation.
    /// - Parameter kek: the key-encryption key, 32 bytes on the board.
    /// - Returns: k bytes.
    /// - Throws: ``CryptoError/inputTooLong(length:maximum:)`` if `kek` is longer than k − 11,
    ///   ``CryptoError/openSSL(_:)`` if OpenSSL fails.
    public func encryptKEK(_ kek: [UInt8]) throws(CryptoError) -> [UInt8] {
        let maximum = modulusByteCount - 11
        guard kek.count <= maximum else { throw .inputTooLong(length: kek.count, maximum: maximum) }
        return try key.withContext { (context) throws(CryptoError) in
            guard EVP_PKEY_encrypt_init(context) == 1 else { throw .openSSL(.capture("EVP_PKEY_encrypt_init")) }
            guard EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1 else {
                throw .openSSL(.capture("EVP_PKEY_CTX_set_rsa_padding"))
            }
            guard let ciphertext = EVPKey.twoCall(kek, { EVP_PKEY_encrypt(context, $0, $1, $2, $3) }),
                  ciphertext.count == modulusByteCount
            else { throw .openSSL(.capture("EVP_PKEY_encrypt")) }
            return ciphertext
        }
    }

    /// The raw RSA public operation (`RSA_NO_PADDING`) on exactly k bytes below the modulus.
    /// Tests use it to forge KEK blocks with chosen padding; the board never pads this way.
    func encryptRaw(_ block: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard block.count == modulusByteCount else { throw .invalidArgument("raw RSA input of \(block.count) bytes") }
        return try key.withContext { (context) throws(CryptoError) in
            guard EVP_PKEY_encrypt_init(context) == 1 else { throw .openSSL(.capture("EVP_PKEY_encrypt_init")) }
            guard EVP_PKEY_CTX_set_rsa_padding(context, RSA_NO_PADDING) == 1 else {
                throw .openSSL(.capture("EVP_PKEY_CTX_set_rsa_padding"))
            }
            guard let ciphertext = EVPKey.twoCall(block, { EVP_PKEY_encrypt(context, $0, $1, $2, $3) }) else {
                throw .invalidArgument("raw RSA refused: \(OpenSSLError.capture("EVP_PKEY_encrypt"))")
            }
            return ciphertext
        }
    }
}
