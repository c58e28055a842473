import COpenSSL
import HalRPC

/// An ECDSA private key (EC_PRIVATE) on P-256, P-384 or P-521, held by OpenSSL.
///
/// It signs a digest and returns the board's fixed-length `r ‖ s` (docs/wire-protocol.md §4.3
/// PKEY_SIGN).
public struct ECPrivateKey: Sendable {
    /// The named curve.
    public let curve: Curve
    let key: EVPKey

    private init(curve: Curve, key: EVPKey) {
        self.curve = curve
        self.key = key
    }

    /// Generates a key (PKEY_GENERATE_EC).
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for a curve other than P-256, P-384,
    ///   P-521 (the board's `BAD_ARGUMENTS`), ``CryptoError/openSSL(_:)`` if generation fails.
    public static func generate(curve: Curve) throws(CryptoError) -> ECPrivateKey {
        guard let groupName = curve.openSSLGroupName else { throw .invalidArgument("unsupported curve \(curve)") }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw .openSSL(.capture("EVP_PKEY_CTX_new_from_name"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .openSSL(.capture("EVP_PKEY_keygen_init")) }
        guard EVP_PKEY_CTX_set_group_name(context, groupName) == 1 else {
            throw .openSSL(.capture("EVP_PKEY_CTX_set_group_name"))
        }
        var generated: OpaquePointer?
        guard EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw .openSSL(.capture("EVP_PKEY_generate"))
        }
        return ECPrivateKey(curve: curve, key: EVPKey(taking: generated))
    }

    /// Loads a PKCS#8 PrivateKeyInfo with algorithm id-ecPublicKey and a named curve.
    /// - Throws: ``CryptoError/malformedDER(_:)`` for malformed DER,
    ///   ``CryptoError/unsupportedKey(_:)`` for another algorithm or curve,
    ///   ``CryptoError/malformedKey(_:)`` if OpenSSL refuses the key.
    public init(privateKeyInfo der: [UInt8]) throws(CryptoError) {
        let info: DER.PrivateKeyInfo
        do { info = try DER.PrivateKeyInfo(der: der) } catch { throw .malformedDER(error) }
        let curve = try Self.curve(of: info.algorithm)
        let key = try EVPKey.decodePrivateKeyInfo(der)
        guard key.baseID == EVP_PKEY_EC else { throw .unsupportedKey("not an EC key") }
        self.init(curve: curve, key: key)
    }

    /// Loads a SEC 1 `ECPrivateKey` (RFC 5915) on `curve` by wrapping it in a PrivateKeyInfo.
    /// - Throws: as ``init(privateKeyInfo:)``; ``CryptoError/invalidArgument(_:)`` for an
    ///   unsupported `curve`.
    public init(sec1 der: [UInt8], curve: Curve) throws(CryptoError) {
        guard let oid = curve.objectIdentifier else { throw .invalidArgument("unsupported curve \(curve)") }
        let algorithm = DER.AlgorithmIdentifier(.ecPublicKey, parameters: .objectIdentifier(oid))
        var wrapped = DER.PrivateKeyInfo(algorithm: algorithm, privateKey: der).der
        defer { wrapped.zeroise() }
        try self.init(privateKeyInfo: wrapped)
    }

    /// The curve named by an id-ecPublicKey AlgorithmIdentifier.
    /// - Throws: ``CryptoError/unsupportedKey(_:)`` for another algorithm, explicit curve
    ///   parameters or a curve other than P-256, P-384, P-521.
    static func curve(of algorithm: DER.AlgorithmIdentifier) throws(CryptoError) -> Curve {
        guard algorithm.algorithm == .ecPublicKey else {
            throw .unsupportedKey("algorithm \(algorithm.algorithm) is not id-ecPublicKey")
        }
        guard case .objectIdentifier(let oid) = algorithm.parameters, let curve = Curve(objectIdentifier: oid) else {
            throw .unsupportedKey("EC key without a supported named curve")
        }
        return curve
    }

    /// The PKCS#8 PrivateKeyInfo DER (id-ecPublicKey, named curve). Secret: wipe it with
    /// `zeroise()` when done.
    /// - Throws: ``CryptoError/openSSL(_:)`` if OpenSSL cannot encode it.
    public func privateKeyInfo() throws(CryptoError) -> [UInt8] {
        try key.privateKeyInfoDER()
    }

    /// The public half.
    /// - Throws: ``CryptoError/openSSL(_:)`` if OpenSSL cannot extract it.
    public func publicKey() throws(CryptoError) -> ECPublicKey {
        ECPublicKey(curve: curve, key: try key.publicOnly())
    }

    /// Signs `digest` with ECDSA (a fresh random k each time) and returns `r ‖ s`, each
    /// left-padded to the order length: 64, 96 or 132 bytes (docs/wire-protocol.md §4.3).
    /// - Parameter digest: the digest itself; ECDSA uses its leftmost order-length bits.
    /// - Throws: ``CryptoError/openSSL(_:)`` if OpenSSL fails.
    public func sign(digest: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard let half = curve.orderLength else { throw .invalidArgument("unsupported curve \(curve)") }
        let der = try key.withContext { (context) throws(CryptoError) in
            guard EVP_PKEY_sign_init(context) == 1 else { throw .openSSL(.capture("EVP_PKEY_sign_init")) }
            // No signature digest is set: the input is taken as the digest.
            guard let der = EVPKey.twoCall(digest, { EVP_PKEY_sign(context, $0, $1, $2, $3) }) else {
                throw .openSSL(.capture("EVP_PKEY_sign"))
            }
            return der
        }
        let parsed = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw .openSSL(.capture("d2i_ECDSA_SIG")) }
        defer { ECDSA_SIG_free(parsed) }
        var out = [UInt8](repeating: 0, count: 2 * half)
        let ok = out.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(ECDSA_SIG_get0_r(parsed), buffer.baseAddress, Int32(half)) == half
                && BN_bn2binpad(ECDSA_SIG_get0_s(parsed), buffer.baseAddress! + half, Int32(half)) == half
        }
        guard ok else { throw .openSSL(.capture("BN_bn2binpad")) }
        return out
    }
}
