import COpenSSL
import HalRPC

/// Owns one OpenSSL `EVP_PKEY` and frees it (which also wipes private components) when the last
/// reference goes.
///
/// `@unchecked Sendable` because the key is never modified after it is made: every operation
/// creates its own `EVP_PKEY_CTX`, and OpenSSL 3 documents an unmodified `EVP_PKEY` as safe to
/// use from several threads at once.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// OpenSSL's base key type (`EVP_PKEY_RSA`, `EVP_PKEY_EC`).
    var baseID: Int32 { EVP_PKEY_get_base_id(pointer) }

    /// Key size in bits (RSA: the modulus).
    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    // MARK: Decoding

    /// Decodes a PKCS#8 PrivateKeyInfo with OpenSSL (`d2i_PKCS8_PRIV_KEY_INFO`,
    /// `EVP_PKCS82PKEY`), which must use every byte.
    /// - Throws: ``CryptoError/malformedKey(_:)`` if OpenSSL refuses it.
    static func decodePrivateKeyInfo(_ der: [UInt8]) throws(CryptoError) -> EVPKey {
        let info = try decode(der, "d2i_PKCS8_PRIV_KEY_INFO", free: PKCS8_PRIV_KEY_INFO_free) {
            d2i_PKCS8_PRIV_KEY_INFO(nil, $0, $1)
        }
        // The structure holds the private key: PKCS8_PRIV_KEY_INFO_free clears it.
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard let key = EVP_PKCS82PKEY(info) else { throw .malformedKey(.capture("EVP_PKCS82PKEY")) }
        return EVPKey(taking: key)
    }

    /// Decodes a SubjectPublicKeyInfo with OpenSSL (`d2i_PUBKEY`), which must use every byte.
    /// - Throws: ``CryptoError/malformedKey(_:)`` if OpenSSL refuses it.
    static func decodeSubjectPublicKeyInfo(_ der: [UInt8]) throws(CryptoError) -> EVPKey {
        EVPKey(taking: try decode(der, "d2i_PUBKEY", free: EVP_PKEY_free) { d2i_PUBKEY(nil, $0, $1) })
    }

    /// Runs a `d2i_*` function over `der` and insists that it consumed all of it.
    private static func decode(
        _ der: [UInt8], _ function: String, free: (OpaquePointer) -> Void,
        _ d2i: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?
    ) throws(CryptoError) -> OpaquePointer {
        // An empty array may have no buffer at all; OpenSSL must never see a null input.
        guard !der.isEmpty else { throw .malformedKey(OpenSSLError(function: function, code: 0, reason: "empty input")) }
        let (object, consumed) = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            let object = d2i(&cursor, buffer.count)
            return (object, cursor.map { $0 - buffer.baseAddress! } ?? 0)
        }
        guard let object else { throw .malformedKey(.capture(function)) }
        guard consumed == der.count else {
            free(object)
            throw .malformedKey(OpenSSLError(function: function, code: 0, reason: "trailing bytes after the key"))
        }
        return object
    }

    // MARK: Encoding

    /// The PKCS#8 PrivateKeyInfo DER (`EVP_PKEY2PKCS8`, `i2d_PKCS8_PRIV_KEY_INFO`). Secret.
    func privateKeyInfoDER() throws(CryptoError) -> [UInt8] {
        guard let info = EVP_PKEY2PKCS8(pointer) else { throw .openSSL(.capture("EVP_PKEY2PKCS8")) }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return try encode("i2d_PKCS8_PRIV_KEY_INFO") { i2d_PKCS8_PRIV_KEY_INFO(info, $0) }
    }

    /// The SubjectPublicKeyInfo DER (`i2d_PUBKEY`).
    func subjectPublicKeyInfoDER() throws(CryptoError) -> [UInt8] {
        try encode("i2d_PUBKEY") { i2d_PUBKEY(pointer, $0) }
    }

    /// Runs an `i2d_*` function twice: once for the length, once to write.
    private func encode(_ function: String, _ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws(CryptoError) -> [UInt8] {
        let length = Int(i2d(nil))
        guard length > 0 else { throw .openSSL(.capture(function)) }
        var out = [UInt8](repeating: 0, count: length)
        let written = out.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return Int(i2d(&cursor))
        }
        guard written == length else {
            out.zeroise()
            throw .openSSL(.capture(function))
        }
        return out
    }

    /// This key's public half as a key of its own (through its SubjectPublicKeyInfo).
    func publicOnly() throws(CryptoError) -> EVPKey {
        try EVPKey.decodeSubjectPublicKeyInfo(subjectPublicKeyInfoDER())
    }

    // MARK: Operations

    /// Runs `body` with a fresh `EVP_PKEY_CTX` for this key, freed afterwards.
    func withContext<T>(_ body: (OpaquePointer) throws(CryptoError) -> T) throws(CryptoError) -> T {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
            throw .openSSL(.capture("EVP_PKEY_CTX_new_from_pkey"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        return try body(context)
    }

    /// The output of a two-call OpenSSL operation (`EVP_PKEY_sign`, `_encrypt`, `_decrypt`):
    /// the first call sizes the output, the second writes it.
    /// - Returns: the output, or `nil` if OpenSSL reported failure (its error queue is left
    ///   for the caller to capture or clear).
    static func twoCall(
        _ input: [UInt8],
        _ operation: (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>, UnsafePointer<UInt8>?, Int) -> Int32
    ) -> [UInt8]? {
        // A non-null input pointer even for empty input: some providers reject a null one.
        let storage = input.isEmpty ? [0] : input
        return storage.withUnsafeBufferPointer { source -> [UInt8]? in
            var length = 0
            guard operation(nil, &length, source.baseAddress, input.count) == 1, length > 0 else { return nil }
            var out = [UInt8](repeating: 0, count: length)
            let ok = out.withUnsafeMutableBufferPointer {
                operation($0.baseAddress, &length, source.baseAddress, input.count) == 1
            }
            guard ok, length <= out.count else {
                out.zeroise()
                return nil
            }
            return Array(out.prefix(length))
        }
    }
}
