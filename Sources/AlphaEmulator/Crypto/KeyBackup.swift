import HalRPC

/// The backup wrapping of PKEY_EXPORT and PKEY_IMPORT (docs/wire-protocol.md §9): a private key's PKCS#8
/// DER wrapped with AES-KWP under a fresh 32-byte KEK, and that KEK encrypted to an RSA KEKEK.
///
///     pkcs8 = SEQUENCE { SEQUENCE { id-aes256-wrap-pad }, OCTET STRING AES-KWP(KEK, key DER) }
///     kek   = SEQUENCE { SEQUENCE { rsaEncryption },      OCTET STRING RSA(00 02 PS 00 KEK) }
///
/// Both AlgorithmIdentifiers are written without a parameters field, as the board does; on
/// import, absent or NULL parameters are accepted.
public enum KeyBackup {
    /// The KEK length: AES-256 (docs/wire-protocol.md §5.2).
    public static let kekLength = 32
    /// `HAL_KS_WRAPPED_KEYSIZE`: the largest key DER the board stores, the smallest `pkcs8_max`
    /// PKEY_EXPORT accepts, and the import-side bound on both encryptedData lengths.
    public static let maximumDataLength = 5480

    /// The two results of PKEY_EXPORT.
    public struct Export: Hashable, Sendable {
        /// The wrapped key: EncryptedPrivateKeyInfo with id-aes256-wrap-pad.
        public let pkcs8: [UInt8]
        /// The encrypted KEK: EncryptedPrivateKeyInfo with rsaEncryption.
        public let kek: [UInt8]
    }

    /// Wraps a key for export (docs/wire-protocol.md §9.2 steps 1-6). The caller checks the results
    /// against `pkcs8_max` and `kek_max` (→ `RESULT_TOO_LONG`).
    /// - Parameters:
    ///   - privateKeyInfo: the stored PKCS#8 DER of the key (for hashsig, the share record).
    ///   - kekek: the destination's RSA public key (an RSA private KEKEK's public half works).
    /// - Throws: ``CryptoError/randomGeneratorFailure(_:)``, ``CryptoError/invalidArgument(_:)``
    ///   for an empty key, ``CryptoError/openSSL(_:)``.
    public static func export(privateKeyInfo: [UInt8], kekek: RSAPublicKey) throws(CryptoError) -> Export {
        var kek = try SecureRandom.bytes(kekLength)
        defer { kek.zeroise() }
        let wrapped = try AESKeyWrap.wrap(privateKeyInfo, key: kek)
        let encryptedKEK = try kekek.encryptKEK(kek)
        return Export(pkcs8: encodeWrappedKey(wrapped), kek: encodeEncryptedKEK(encryptedKEK))
    }

    /// Unwraps an imported key (docs/wire-protocol.md §9.3 steps 1-3): parse `kek`, recover the KEK (a
    /// random one if its padding is wrong, no oracle), parse `pkcs8`, AES-KWP unwrap.
    /// - Parameters:
    ///   - pkcs8: the wrapped key from PKEY_EXPORT.
    ///   - kek: the encrypted KEK from PKEY_EXPORT.
    ///   - kekek: this board's RSA private KEKEK.
    /// - Returns: the key's PKCS#8 DER, to be identified and loaded like PKEY_LOAD. Secret.
    /// - Throws: ``CryptoError/malformedDER(_:)`` (`ASN1_PARSE_FAILED`) for either structure,
    ///   then ``CryptoError/keyWrapBadMagic`` / ``CryptoError/keyWrapBadLength`` /
    ///   ``CryptoError/keyWrapBadPadding`` (9/10/11) from the unwrap; a wrong KEK nearly always
    ///   shows as bad magic.
    public static func importKey(pkcs8: [UInt8], kek: [UInt8], kekek: RSAPrivateKey) throws(CryptoError) -> [UInt8] {
        let encryptedKEK = try decodeEncryptedKEK(kek)
        var recovered = try kekek.decryptKEK(encryptedKEK)
        defer { recovered.zeroise() }
        let wrapped = try decodeWrappedKey(pkcs8)
        do {
            return try AESKeyWrap.unwrap(wrapped, key: recovered)
        } catch .invalidArgument {
            // A wrapped length that no wrap produces: the board's unwrap refuses it before
            // decrypting anything; the closest of its three codes is "length out of range".
            throw .keyWrapBadLength
        }
    }

    /// The `pkcs8` result: EncryptedPrivateKeyInfo { id-aes256-wrap-pad (no parameters),
    /// OCTET STRING wrapped } (§9.2 step 4).
    public static func encodeWrappedKey(_ wrapped: [UInt8]) -> [UInt8] {
        DER.EncryptedPrivateKeyInfo(algorithm: DER.AlgorithmIdentifier(.aes256WrapPad, parameters: .absent), encryptedData: wrapped).der
    }

    /// The `kek` result: EncryptedPrivateKeyInfo { rsaEncryption (no parameters), OCTET STRING
    /// ciphertext } (§9.2 step 6).
    public static func encodeEncryptedKEK(_ ciphertext: [UInt8]) -> [UInt8] {
        DER.EncryptedPrivateKeyInfo(algorithm: DER.AlgorithmIdentifier(.rsaEncryption, parameters: .absent), encryptedData: ciphertext).der
    }

    /// Parses the `pkcs8` argument of PKEY_IMPORT (§9.3 step 3).
    /// - Returns: the AES-KWP ciphertext.
    /// - Throws: ``CryptoError/malformedDER(_:)`` for malformed DER, another OID, parameters
    ///   other than NULL/absent, or more than ``maximumDataLength`` bytes of data.
    public static func decodeWrappedKey(_ der: [UInt8]) throws(CryptoError) -> [UInt8] {
        try decode(der, algorithm: .aes256WrapPad, name: "id-aes256-wrap-pad", lengths: 0...maximumDataLength)
    }

    /// Parses the `kek` argument of PKEY_IMPORT (§9.3 step 1).
    /// - Returns: the RSA ciphertext.
    /// - Throws: ``CryptoError/malformedDER(_:)`` for malformed DER, another OID, parameters
    ///   other than NULL/absent, or data outside 2...``maximumDataLength`` bytes.
    public static func decodeEncryptedKEK(_ der: [UInt8]) throws(CryptoError) -> [UInt8] {
        try decode(der, algorithm: .rsaEncryption, name: "rsaEncryption", lengths: 2...maximumDataLength)
    }

    private static func decode(_ der: [UInt8], algorithm: DER.OID, name: String, lengths: ClosedRange<Int>) throws(CryptoError) -> [UInt8] {
        let info: DER.EncryptedPrivateKeyInfo
        do { info = try DER.EncryptedPrivateKeyInfo(der: der) } catch { throw .malformedDER(error) }
        guard info.algorithm.algorithm == algorithm, info.algorithm.hasNoParameters else {
            throw .malformedDER(.unexpectedValue("EncryptedPrivateKeyInfo algorithm is not \(name) without parameters"))
        }
        guard lengths.contains(info.encryptedData.count) else {
            throw .malformedDER(.unexpectedValue("\(name) data of \(info.encryptedData.count) bytes outside \(lengths)"))
        }
        return info.encryptedData
    }
}
