import COpenSSL

/// The raw AES block cipher (OpenSSL's AES-ECB without padding, one 16-byte block per call):
/// the primitive under RFC 3394/5649 key wrapping.
///
/// Owns its `EVP_CIPHER_CTX`, whose key schedule OpenSSL wipes when it is freed. Not `Sendable`:
/// one wrap or unwrap uses it and drops it.
final class AESBlockCipher {
    static let blockLength = 16

    private let context: OpaquePointer

    /// - Parameters:
    ///   - key: 16, 24 or 32 bytes (AES-128, -192, -256).
    ///   - encrypting: direction.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for another key length,
    ///   ``CryptoError/openSSL(_:)`` if OpenSSL fails.
    init(key: [UInt8], encrypting: Bool) throws(CryptoError) {
        let cipher: OpaquePointer?
        switch key.count {
        case 16: cipher = EVP_aes_128_ecb()
        case 24: cipher = EVP_aes_192_ecb()
        case 32: cipher = EVP_aes_256_ecb()
        default: throw .invalidArgument("AES key of \(key.count) bytes")
        }
        guard let context = EVP_CIPHER_CTX_new() else { throw .openSSL(.capture("EVP_CIPHER_CTX_new")) }
        guard EVP_CipherInit_ex(context, cipher, nil, key, nil, encrypting ? 1 : 0) == 1 else {
            let error = OpenSSLError.capture("EVP_CipherInit_ex")
            EVP_CIPHER_CTX_free(context)
            throw .openSSL(error)
        }
        // Whole blocks only: no PKCS#7 padding, so each update returns its block at once.
        EVP_CIPHER_CTX_set_padding(context, 0)
        self.context = context
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    /// Transforms one 16-byte block in place.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` if `block` is not 16 bytes,
    ///   ``CryptoError/openSSL(_:)`` if OpenSSL fails.
    func process(_ block: inout [UInt8]) throws(CryptoError) {
        guard block.count == Self.blockLength else { throw .invalidArgument("AES block of \(block.count) bytes") }
        var length: Int32 = 0
        let input = block
        let ok = block.withUnsafeMutableBufferPointer { output in
            EVP_CipherUpdate(context, output.baseAddress, &length, input, Int32(Self.blockLength)) == 1
        }
        guard ok, length == Int32(Self.blockLength) else { throw .openSSL(.capture("EVP_CipherUpdate")) }
    }
}
