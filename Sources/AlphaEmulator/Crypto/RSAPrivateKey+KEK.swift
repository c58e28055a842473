import HalRPC

extension RSAPrivateKey {
    /// Recovers a backup KEK the way the board's PKEY_IMPORT does (docs/wire-protocol.md §9.3 step 2):
    /// the raw RSA private operation, then the PKCS#1 v1.5 type-2 check
    /// `00 02 ‖ PS ‖ 00 ‖ KEK` with the separator at offset ≥ 11 (at least nine PS bytes,
    /// stricter than PKCS#1's eight) and exactly ``KeyBackup/kekLength`` bytes after it.
    ///
    /// Anything else — a bad padding, a ciphertext of the wrong length or not below the modulus
    /// — yields a fresh random KEK instead of an error, so that no caller can learn whether the
    /// padding was right (Bleichenbacher's oracle); the AES key unwrap that follows then fails
    /// with `KEYWRAP_BAD_MAGIC` or similar. The check itself runs without branches on the
    /// decrypted bytes, as far as Swift allows.
    /// - Parameter ciphertext: the `kek` EncryptedPrivateKeyInfo's encryptedData.
    /// - Returns: 32 bytes. Secret: wipe them when done.
    /// - Throws: ``CryptoError/randomGeneratorFailure(_:)`` only: the fallback needs randomness
    ///   and it is drawn every time, so that both paths do the same work.
    public func decryptKEK(_ ciphertext: [UInt8]) throws(CryptoError) -> [UInt8] {
        let kekLength = KeyBackup.kekLength
        var fallback = try SecureRandom.bytes(kekLength)
        defer { fallback.zeroise() }
        // The length and the "below the modulus" property are public (anyone can compute them
        // from the ciphertext), so branching on them leaks nothing.
        guard var block = try? decryptRaw(ciphertext), block.count == modulusByteCount else {
            return fallback
        }
        defer { block.zeroise() }
        return Self.kek(fromBlock: block, fallback: fallback)
    }

    /// The §9.3 check on a decrypted block: its last ``KeyBackup/kekLength`` bytes if it is
    /// `00 02 ‖ PS ‖ 00 ‖ KEK` with the first zero after `00 02` at offset ≥ 11 and exactly
    /// `kekLength` bytes after it, else `fallback`. Branch-free over the block's contents.
    static func kek(fromBlock block: [UInt8], fallback: [UInt8]) -> [UInt8] {
        let kekLength = KeyBackup.kekLength
        let k = block.count
        guard k >= 2 + kekLength, fallback.count == kekLength else { return fallback }
        var good = ConstantTime.isEqualMask(block[0], 0x00) & ConstantTime.isEqualMask(block[1], 0x02)
        // Index of the first zero byte at or after index 2; every byte is visited.
        var separatorFound: UInt8 = 0
        var separator = 0
        for index in 2..<k {
            let isFirstZero = ConstantTime.isZeroMask(block[index]) & ~separatorFound
            separator = ConstantTime.select(isFirstZero, index, separator)
            separatorFound |= isFirstZero
        }
        good &= separatorFound
        good &= ConstantTime.isGreaterOrEqualMask(separator, 11)
        good &= ConstantTime.isEqualMask(k - separator - 1, kekLength)
        // When good, the KEK is exactly the last kekLength bytes.
        return ConstantTime.select(good, block[(k - kekLength)...], fallback)
    }
}
