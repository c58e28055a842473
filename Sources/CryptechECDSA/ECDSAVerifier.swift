import COpenSSL

/// Checks a board's ECDSA signature with OpenSSL: the one place that turns the board's
/// fixed-length `r ‖ s` (docs/wire-protocol.md §4.3 PKEY_SIGN) into what OpenSSL verifies. The software
/// Alpha verifies PKEY_VERIFY with it, and the host verifies ledger checkpoints with it, so
/// both read a signature the same way.
public enum ECDSAVerifier {
    /// An OpenSSL call that failed for a reason that is not the signature's.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The libcrypto function that failed.
        public let function: String
        /// "`function` failed": names the libcrypto call for the operator's message.
        public var description: String { "\(function) failed" }
    }

    /// Whether `signature` (`r ‖ s`, each `orderLength` bytes) is the ECDSA signature of the
    /// key in `subjectPublicKeyInfo` over `digest`.
    /// - Parameters:
    ///   - signature: `r ‖ s`.
    ///   - digest: the digest itself (ECDSA uses its leftmost order-length bits).
    ///   - subjectPublicKeyInfo: an EC public key's DER (a key that is not EC is never valid).
    ///   - orderLength: the curve's order length in bytes (32 for P-256).
    /// - Returns: `false` for a wrong signature, one of the wrong length, r or s out of range,
    ///   or a public key OpenSSL refuses.
    /// - Throws: ``Failure`` only if OpenSSL cannot set up the operation.
    public static func isValid(_ signature: [UInt8], digest: [UInt8], subjectPublicKeyInfo: [UInt8],
                               orderLength: Int) throws(Failure) -> Bool {
        guard orderLength > 0, signature.count == 2 * orderLength, !subjectPublicKeyInfo.isEmpty else { return false }
        guard let key = decodePublicKey(subjectPublicKeyInfo) else { return false }
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_EC else { return false }
        let der = try derSignature(r: signature[..<orderLength], s: signature[orderLength...])
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw fail("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_verify_init(context) == 1 else { throw fail("EVP_PKEY_verify_init") }
        let message = digest.isEmpty ? [0] : digest
        let status = EVP_PKEY_verify(context, der, der.count, message, digest.count)
        // 0 and negative both mean "invalid"; drop the reason.
        ERR_clear_error()
        return status == 1
    }

    /// `d2i_PUBKEY` over all of `der`, or `nil`.
    private static func decodePublicKey(_ der: [UInt8]) -> OpaquePointer? {
        let (key, consumed) = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            let key = d2i_PUBKEY(nil, &cursor, buffer.count)
            return (key, cursor.map { $0 - buffer.baseAddress! } ?? 0)
        }
        ERR_clear_error()
        guard let key else { return nil }
        guard consumed == der.count else {
            EVP_PKEY_free(key)
            return nil
        }
        return key
    }

    /// The DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5480 §2.2.3) that
    /// OpenSSL verifies, from fixed-length halves.
    static func derSignature(r: ArraySlice<UInt8>, s: ArraySlice<UInt8>) throws(Failure) -> [UInt8] {
        guard let signature = ECDSA_SIG_new() else { throw fail("ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(signature) }
        let rNumber = Array(r).withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        let sNumber = Array(s).withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        guard let rNumber, let sNumber, ECDSA_SIG_set0(signature, rNumber, sNumber) == 1 else {
            BN_free(rNumber)
            BN_free(sNumber)
            throw fail("ECDSA_SIG_set0")
        }
        // ECDSA_SIG_set0 took ownership of both numbers.
        let length = Int(i2d_ECDSA_SIG(signature, nil))
        guard length > 0 else { throw fail("i2d_ECDSA_SIG") }
        var der = [UInt8](repeating: 0, count: length)
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return Int(i2d_ECDSA_SIG(signature, &cursor))
        }
        guard written == length else { throw fail("i2d_ECDSA_SIG") }
        return der
    }

    private static func fail(_ function: String) -> Failure {
        ERR_clear_error()
        return Failure(function: function)
    }
}
