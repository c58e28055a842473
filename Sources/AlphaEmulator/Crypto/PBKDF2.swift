import COpenSSL
import HalRPC

/// PBKDF2 (RFC 8018 §5.2) with an HMAC, from OpenSSL's `PKCS5_PBKDF2_HMAC`: how the board
/// stores PINs (PBKDF2-HMAC-SHA256, 16-byte salt, 64-byte output; docs/wire-protocol.md §6).
public enum PBKDF2 {
    /// Derives `length` bytes from `password` and `salt`.
    /// - Parameters:
    ///   - password: the PIN or passphrase bytes.
    ///   - salt: the salt (16 bytes in a PIN record).
    ///   - iterations: at least 1 (a PIN record with 0 stands for 2000; the caller maps it).
    ///   - length: output bytes, at least 1.
    ///   - digest: the HMAC hash; SHA-256 for PINs.
    /// - Returns: the derived key. Secret: wipe it when done.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for iterations or length out of range or
    ///   an unknown digest, ``CryptoError/openSSL(_:)`` if OpenSSL fails.
    public static func deriveKey(
        password: [UInt8], salt: [UInt8], iterations: Int, length: Int, digest: DigestAlgorithm = .sha256
    ) throws(CryptoError) -> [UInt8] {
        guard (1...Int(Int32.max)).contains(iterations) else { throw .invalidArgument("PBKDF2 iterations \(iterations)") }
        guard (1...Int(Int32.max)).contains(length) else { throw .invalidArgument("PBKDF2 output length \(length)") }
        guard password.count <= Int32.max, salt.count <= Int32.max else { throw .invalidArgument("PBKDF2 input too long") }
        guard let md = digest.openSSLDigest else { throw .invalidArgument("no digest for \(digest)") }
        // Non-null pointers even for empty inputs.
        let passwordStorage = password.isEmpty ? [0] : password
        let saltStorage = salt.isEmpty ? [0] : salt
        var out = [UInt8](repeating: 0, count: length)
        let status = passwordStorage.withUnsafeBytes { passwordBuffer in
            out.withUnsafeMutableBufferPointer { output in
                PKCS5_PBKDF2_HMAC(
                    passwordBuffer.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(password.count),
                    saltStorage, Int32(salt.count), Int32(iterations), md, Int32(length), output.baseAddress)
            }
        }
        guard status == 1 else {
            out.zeroise()
            throw .openSSL(.capture("PKCS5_PBKDF2_HMAC"))
        }
        return out
    }
}
