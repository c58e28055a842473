import HalRPC

/// AES Key Wrap with Padding (RFC 5649) over the raw AES block cipher: how PKEY_EXPORT wraps a
/// key under the backup KEK (docs/wire-protocol.md §9.2 step 3) and PKEY_IMPORT unwraps it (§9.3 step 3).
///
/// Written out here rather than taken from OpenSSL's `EVP_aes_256_wrap_pad` so that unwrap can
/// tell the board's three failures apart (OpenSSL reports one): a wrong integrity value
/// (`KEYWRAP_BAD_MAGIC`), an encoded length out of range (`KEYWRAP_BAD_LENGTH`) and non-zero
/// padding (`KEYWRAP_BAD_PADDING`).
public enum AESKeyWrap {
    /// The board's key length: AES-256.
    public static let keyLength = 32

    /// RFC 5649 §3: the first half of the Alternative Initial Value.
    static let magic: [UInt8] = [0xA6, 0x59, 0x59, 0xA6]

    /// The wrapped length for `plaintextLength` bytes: the plaintext rounded up to a multiple of
    /// 8, plus the 8-byte integrity value, `(m + 15) & ~7` (docs/wire-protocol.md §9.2 step 3).
    public static func wrappedLength(plaintextLength m: Int) -> Int {
        (m + 15) & ~7
    }

    /// Wraps `plaintext` under a 32-byte AES-256 key.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for a key that is not 32 bytes or an empty
    ///   or over-long (≥ 2^32 bytes) plaintext, ``CryptoError/openSSL(_:)`` if AES fails.
    public static func wrap(_ plaintext: [UInt8], key: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard key.count == keyLength else { throw .invalidArgument("key wrap key is \(key.count) bytes, expected \(keyLength)") }
        return try wrap(plaintext, anyAESKey: key)
    }

    /// Unwraps `ciphertext` under a 32-byte AES-256 key.
    /// - Returns: the plaintext. Secret: wipe it when done.
    /// - Throws: ``CryptoError/keyWrapBadMagic``, ``CryptoError/keyWrapBadLength``,
    ///   ``CryptoError/keyWrapBadPadding`` as above; ``CryptoError/invalidArgument(_:)`` for a
    ///   key that is not 32 bytes or a ciphertext that is not a multiple of 8 bytes of at least
    ///   16, which no wrap produces.
    public static func unwrap(_ ciphertext: [UInt8], key: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard key.count == keyLength else { throw .invalidArgument("key wrap key is \(key.count) bytes, expected \(keyLength)") }
        return try unwrap(ciphertext, anyAESKey: key)
    }

    /// RFC 5649 §4.1 with an AES key of any standard size (the RFC's own examples are AES-192).
    static func wrap(_ plaintext: [UInt8], anyAESKey key: [UInt8]) throws(CryptoError) -> [UInt8] {
        let m = plaintext.count
        guard m > 0, UInt64(m) <= UInt64(UInt32.max) else { throw .invalidArgument("key wrap plaintext of \(m) bytes") }
        // The Alternative Initial Value: magic ‖ 32-bit big-endian MLI.
        let integrityValue = magic + withUnsafeBytes(of: UInt32(m).bigEndian, Array.init)
        // Zero padding to a multiple of 8 (RFC 5649 §4.1 step 1).
        var padded = plaintext + [UInt8](repeating: 0, count: (8 - m % 8) % 8)
        defer { padded.zeroise() }
        return try encrypt(integrityValue: integrityValue, padded: padded, key: key)
    }

    /// The encryption step of RFC 5649 §4.1 step 2, for any 8-byte integrity value (tests forge
    /// bad ones with it).
    /// - Parameters:
    ///   - integrityValue: 8 bytes.
    ///   - padded: a non-empty multiple of 8 bytes.
    static func encrypt(integrityValue: [UInt8], padded: [UInt8], key: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard integrityValue.count == 8, !padded.isEmpty, padded.count % 8 == 0 else {
            throw .invalidArgument("key wrap input of \(padded.count) bytes")
        }
        let cipher = try AESBlockCipher(key: key, encrypting: true)
        let n = padded.count / 8
        if n == 1 {
            // A single block: one AES encryption of AIV ‖ P.
            var block = integrityValue + padded
            try cipher.process(&block)
            return block
        }
        // RFC 3394 §2.2.1, index-based: six rounds over the n registers.
        var a = integrityValue
        var registers = padded
        defer { registers.zeroise() }
        var block = [UInt8](repeating: 0, count: 16)
        defer { block.zeroise() }
        for j in 0..<6 {
            for i in 1...n {
                let r = (i - 1) * 8
                block.replaceSubrange(0..<8, with: a)
                block.replaceSubrange(8..<16, with: registers[r..<(r + 8)])
                try cipher.process(&block)
                a = xorCounter(block[0..<8], UInt64(n * j + i))
                registers.replaceSubrange(r..<(r + 8), with: block[8..<16])
            }
        }
        return a + registers
    }

    /// RFC 5649 §4.2 with an AES key of any standard size.
    static func unwrap(_ ciphertext: [UInt8], anyAESKey key: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard ciphertext.count >= 16, ciphertext.count % 8 == 0 else {
            throw .invalidArgument("key wrap ciphertext of \(ciphertext.count) bytes")
        }
        let cipher = try AESBlockCipher(key: key, encrypting: false)
        let n = ciphertext.count / 8 - 1
        var a: [UInt8]
        var registers: [UInt8]
        if n == 1 {
            var block = ciphertext
            try cipher.process(&block)
            a = Array(block[0..<8])
            registers = Array(block[8..<16])
            block.zeroise()
        } else {
            // RFC 3394 §2.2.2, index-based: the six rounds backwards.
            a = Array(ciphertext[0..<8])
            registers = Array(ciphertext[8...])
            var block = [UInt8](repeating: 0, count: 16)
            defer { block.zeroise() }
            for j in (0..<6).reversed() {
                for i in (1...n).reversed() {
                    let r = (i - 1) * 8
                    block.replaceSubrange(0..<8, with: xorCounter(a[...], UInt64(n * j + i)))
                    block.replaceSubrange(8..<16, with: registers[r..<(r + 8)])
                    try cipher.process(&block)
                    a = Array(block[0..<8])
                    registers.replaceSubrange(r..<(r + 8), with: block[8..<16])
                }
            }
        }
        defer { registers.zeroise() }

        // RFC 5649 §3, checked in the board's order: magic, then length, then padding.
        guard Array(a[0..<4]) == magic else { throw .keyWrapBadMagic }
        let mli = a[4..<8].reduce(0) { $0 << 8 | Int($1) }
        guard mli > 8 * (n - 1), mli <= 8 * n else { throw .keyWrapBadLength }
        guard registers[mli...].allSatisfy({ $0 == 0 }) else { throw .keyWrapBadPadding }
        return Array(registers[..<mli])
    }

    /// `a` XOR the 64-bit big-endian counter t (RFC 3394 §2.2.1: `A = MSB(64, B) ^ t`).
    private static func xorCounter(_ a: ArraySlice<UInt8>, _ t: UInt64) -> [UInt8] {
        zip(a, withUnsafeBytes(of: t.bigEndian, Array.init)).map { $0 ^ $1 }
    }
}
