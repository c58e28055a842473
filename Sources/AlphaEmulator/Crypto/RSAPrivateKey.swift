import COpenSSL
import HalRPC

/// An RSA private key (RSA_PRIVATE), held by OpenSSL.
///
/// It signs a caller-supplied DigestInfo with PKCS#1 v1.5 type-1 padding and no hashing
/// (docs/wire-protocol.md §4.3 PKEY_SIGN) and, as a PKEY_IMPORT KEKEK, recovers the backup KEK (§9.3,
/// ``decryptKEK(_:)``).
public struct RSAPrivateKey: Sendable {
    /// The modulus lengths PKEY_GENERATE_RSA accepts, in bits (also a multiple of 8).
    public static let supportedBitLengths = 1024...4096

    let key: EVPKey

    private init(key: EVPKey) {
        self.key = key
    }

    /// Generates a key (PKEY_GENERATE_RSA, docs/wire-protocol.md §4.3).
    /// - Parameters:
    ///   - bits: modulus length, a multiple of 8 in ``supportedBitLengths``.
    ///   - publicExponent: big-endian bytes (leading zeros allowed), an odd value ≥ 3; the
    ///     Python client's default is `01 00 01`.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for 0 or a length not a multiple of 8 and
    ///   for an empty, even or too small exponent (the board's `BAD_ARGUMENTS`),
    ///   ``CryptoError/unsupportedKey(_:)`` for a length outside 1024...4096,
    ///   ``CryptoError/openSSL(_:)`` if generation fails.
    public static func generate(bits: Int, publicExponent: [UInt8]) throws(CryptoError) -> RSAPrivateKey {
        guard bits > 0, bits % 8 == 0 else { throw .invalidArgument("RSA key length \(bits) is not a positive multiple of 8") }
        guard supportedBitLengths.contains(bits) else { throw .unsupportedKey("RSA key length \(bits) outside 1024...4096") }
        let exponent = Array(publicExponent.drop { $0 == 0 })
        guard let last = exponent.last, last & 1 == 1, exponent != [1] else {
            throw .invalidArgument("RSA public exponent must be odd and at least 3")
        }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else {
            throw .openSSL(.capture("EVP_PKEY_CTX_new_from_name"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .openSSL(.capture("EVP_PKEY_keygen_init")) }
        guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1 else {
            throw .openSSL(.capture("EVP_PKEY_CTX_set_rsa_keygen_bits"))
        }
        guard let e = BN_bin2bn(exponent, Int32(exponent.count), nil) else { throw .openSSL(.capture("BN_bin2bn")) }
        defer { BN_free(e) }
        // set1: the context takes a copy.
        guard EVP_PKEY_CTX_set1_rsa_keygen_pubexp(context, e) == 1 else {
            throw .invalidArgument("RSA public exponent refused: \(OpenSSLError.capture("EVP_PKEY_CTX_set1_rsa_keygen_pubexp"))")
        }
        var generated: OpaquePointer?
        guard EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw .openSSL(.capture("EVP_PKEY_generate"))
        }
        return RSAPrivateKey(key: EVPKey(taking: generated))
    }

    /// Loads a PKCS#8 PrivateKeyInfo with algorithm rsaEncryption (the form the board stores and
    /// PKEY_LOAD takes).
    /// - Throws: ``CryptoError/malformedDER(_:)`` for malformed DER or parameters other than
    ///   NULL/absent, ``CryptoError/unsupportedKey(_:)`` for another algorithm,
    ///   ``CryptoError/malformedKey(_:)`` if OpenSSL refuses the key.
    public init(privateKeyInfo der: [UInt8]) throws(CryptoError) {
        let info: DER.PrivateKeyInfo
        do { info = try DER.PrivateKeyInfo(der: der) } catch { throw .malformedDER(error) }
        try Self.checkAlgorithm(info.algorithm)
        let key = try EVPKey.decodePrivateKeyInfo(der)
        guard key.baseID == EVP_PKEY_RSA else { throw .unsupportedKey("not an RSA key") }
        self.key = key
    }

    /// Loads a PKCS#1 RSAPrivateKey (RFC 8017 Appendix A.1.2) by wrapping it in a PrivateKeyInfo.
    /// - Throws: as ``init(privateKeyInfo:)``.
    public init(pkcs1 der: [UInt8]) throws(CryptoError) {
        var wrapped = DER.PrivateKeyInfo(algorithm: DER.AlgorithmIdentifier(.rsaEncryption, parameters: .null), privateKey: der).der
        defer { wrapped.zeroise() }
        try self.init(privateKeyInfo: wrapped)
    }

    /// Refuses algorithm identifiers other than rsaEncryption with NULL or absent parameters.
    static func checkAlgorithm(_ algorithm: DER.AlgorithmIdentifier) throws(CryptoError) {
        guard algorithm.algorithm == .rsaEncryption else {
            throw .unsupportedKey("algorithm \(algorithm.algorithm) is not rsaEncryption")
        }
        guard algorithm.hasNoParameters else {
            throw .malformedDER(.unexpectedValue("rsaEncryption with parameters other than NULL"))
        }
    }

    /// The PKCS#8 PrivateKeyInfo DER (rsaEncryption, NULL parameters). Secret: wipe it with
    /// `zeroise()` when done.
    /// - Throws: ``CryptoError/openSSL(_:)`` if OpenSSL cannot encode it.
    public func privateKeyInfo() throws(CryptoError) -> [UInt8] {
        try key.privateKeyInfoDER()
    }

    /// The public half.
    /// - Throws: ``CryptoError/openSSL(_:)`` if OpenSSL cannot extract it.
    public func publicKey() throws(CryptoError) -> RSAPublicKey {
        RSAPublicKey(key: try key.publicOnly())
    }

    /// The modulus length in bytes, k: the length of every signature.
    public var modulusByteCount: Int { (key.bits + 7) / 8 }

    /// Signs exactly the bytes `digestInfo` with PKCS#1 v1.5 type-1 padding,
    /// `00 01 FF…FF 00 ‖ digestInfo`, and the RSA private operation (RFC 8017 §8.2.1 without
    /// the hashing step, docs/wire-protocol.md §4.3): deterministic.
    /// - Parameter digestInfo: normally a DER DigestInfo; any bytes up to k − 11.
    /// - Returns: the signature, k bytes.
    /// - Throws: ``CryptoError/inputTooLong(length:maximum:)`` above k − 11 bytes,
    ///   ``CryptoError/openSSL(_:)`` if OpenSSL fails.
    public func signPKCS1v15(digestInfo: [UInt8]) throws(CryptoError) -> [UInt8] {
        let maximum = modulusByteCount - 11
        guard digestInfo.count <= maximum else { throw .inputTooLong(length: digestInfo.count, maximum: maximum) }
        return try key.withContext { (context) throws(CryptoError) in
            guard EVP_PKEY_sign_init(context) == 1 else { throw .openSSL(.capture("EVP_PKEY_sign_init")) }
            // No signature digest is set, so OpenSSL pads the input as it is.
            guard EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1 else {
                throw .openSSL(.capture("EVP_PKEY_CTX_set_rsa_padding"))
            }
            guard let signature = EVPKey.twoCall(digestInfo, { EVP_PKEY_sign(context, $0, $1, $2, $3) }),
                  signature.count == modulusByteCount
            else { throw .openSSL(.capture("EVP_PKEY_sign")) }
            return signature
        }
    }

    /// The raw RSA private operation (`RSA_NO_PADDING`): `c^d mod n` as k bytes, no padding
    /// check. The §9.3 import check is ``decryptKEK(_:)``; this exists for it and for tests.
    /// Secret output: wipe it when done.
    /// - Parameter ciphertext: exactly k bytes, numerically below the modulus.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for another length or a value not below the
    ///   modulus.
    public func decryptRaw(_ ciphertext: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard ciphertext.count == modulusByteCount else {
            throw .invalidArgument("RSA ciphertext is \(ciphertext.count) bytes, expected \(modulusByteCount)")
        }
        return try key.withContext { (context) throws(CryptoError) in
            guard EVP_PKEY_decrypt_init(context) == 1 else { throw .openSSL(.capture("EVP_PKEY_decrypt_init")) }
            guard EVP_PKEY_CTX_set_rsa_padding(context, RSA_NO_PADDING) == 1 else {
                throw .openSSL(.capture("EVP_PKEY_CTX_set_rsa_padding"))
            }
            guard var block = EVPKey.twoCall(ciphertext, { EVP_PKEY_decrypt(context, $0, $1, $2, $3) }) else {
                throw .invalidArgument("RSA decryption refused: \(OpenSSLError.capture("EVP_PKEY_decrypt"))")
            }
            guard block.count == modulusByteCount else {
                block.zeroise()
                throw .openSSL(OpenSSLError(function: "EVP_PKEY_decrypt", code: 0, reason: "short output"))
            }
            return block
        }
    }
}
