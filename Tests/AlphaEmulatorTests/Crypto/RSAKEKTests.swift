import HalRPC
import Testing
@testable import AlphaEmulator

@Suite("RSA KEK encryption and the §9.3 import check")
struct RSAKEKTests {
    let key: RSAPrivateKey
    static let kek = [UInt8](0..<32)

    init() throws {
        key = try RSAPrivateKey(privateKeyInfo: CryptoFixtures.rsa2048PKCS8)
    }

    /// k bytes `00 02 ‖ PS ‖ 00 ‖ data`, PS non-zero, encrypted raw.
    func forged(psLength: Int, data: [UInt8], first: UInt8 = 0x00, second: UInt8 = 0x02, separator: UInt8 = 0x00) throws -> [UInt8] {
        var block = [first, second] + [UInt8](repeating: 0xA5, count: psLength) + [separator] + data
        precondition(block.count == 256)
        defer { block.zeroise() }
        return try key.publicKey().encryptRaw(block)
    }

    @Test("type-2 block layout: 00 02, k - 35 non-zero PS bytes, 00, KEK (docs/wire-protocol.md §9.2 step 5)")
    func layout() throws {
        let ciphertext = try key.publicKey().encryptKEK(Self.kek)
        #expect(ciphertext.count == 256)
        let block = try key.decryptRaw(ciphertext)
        #expect(block[0] == 0x00 && block[1] == 0x02)
        #expect(block[2..<(256 - 33)].allSatisfy { $0 != 0 })
        #expect(block[256 - 33] == 0x00)
        #expect(Array(block.suffix(32)) == Self.kek)
        // Randomised padding: two encryptions differ.
        #expect(try key.publicKey().encryptKEK(Self.kek) != ciphertext)
        #expect(try key.decryptKEK(ciphertext) == Self.kek)
    }

    @Test("a KEK encrypted by Python cryptography is recovered")
    func interoperates() throws {
        #expect(try key.decryptKEK(CryptoFixtures.backupEncryptedKEK) == CryptoFixtures.backupKEK)
    }

    @Test("a hand-built block 00 02 PS 00 KEK is accepted")
    func handBuilt() throws {
        // With a 32-byte KEK the separator sits at k - 33 (223 here), always past offset 11; the
        // offset rule bites only on blocks whose tail has another length (below).
        let ciphertext = try forged(psLength: 221, data: Self.kek)
        #expect(try key.decryptKEK(ciphertext) == Self.kek)
    }

    @Test("every malformed block yields a random KEK, never an error", arguments: [
        "separator at offset 10 (8 PS bytes, which PKCS#1 allows)",
        "separator at offset 11 but 244 bytes after it",
        "first byte 01",
        "block type 01",
        "no separator at all",
        "31 bytes after the separator",
        "33 bytes after the separator",
        "separator right after 00 02",
    ])
    func fallback(description: String) throws {
        let ciphertext: [UInt8]
        switch description {
        case "separator at offset 10 (8 PS bytes, which PKCS#1 allows)":
            ciphertext = try forged(psLength: 8, data: [UInt8](repeating: 0x11, count: 245))
        case "separator at offset 11 but 244 bytes after it":
            ciphertext = try forged(psLength: 9, data: [UInt8](repeating: 0x11, count: 244))
        case "first byte 01":
            // Keeps the value below the modulus: a 2048-bit modulus starts with a set top bit.
            ciphertext = try forged(psLength: 221, data: Self.kek, first: 0x01)
        case "block type 01":
            ciphertext = try forged(psLength: 221, data: Self.kek, second: 0x01)
        case "no separator at all":
            ciphertext = try forged(psLength: 221, data: [UInt8](repeating: 0x22, count: 32), separator: 0x33)
        case "31 bytes after the separator":
            ciphertext = try forged(psLength: 222, data: Array(Self.kek.prefix(31)))
        case "33 bytes after the separator":
            ciphertext = try forged(psLength: 220, data: [0x44] + Self.kek)
        default:
            ciphertext = try forged(psLength: 0, data: [UInt8](repeating: 0x11, count: 253))
        }
        let first = try key.decryptKEK(ciphertext)
        let second = try key.decryptKEK(ciphertext)
        #expect(first.count == 32)
        #expect(first != Self.kek)
        #expect(first != second, "the fallback is fresh randomness each time")
    }

    /// With a real modulus a 32-byte tail puts the separator far past offset 11, so the offset
    /// rule is checked on short hand-made blocks: k = 44 puts it at exactly 11, k = 43 at 10.
    @Test("the separator must sit at offset 11 or later (≥ 9 PS bytes, stricter than PKCS#1's 8)")
    func separatorOffset() {
        let fallback = [UInt8](repeating: 0xEE, count: 32)
        let at11 = [0x00, 0x02] + [UInt8](repeating: 0x01, count: 9) + [0x00] + Self.kek
        #expect(at11.count == 44)
        #expect(RSAPrivateKey.kek(fromBlock: at11, fallback: fallback) == Self.kek)
        let at10 = [0x00, 0x02] + [UInt8](repeating: 0x01, count: 8) + [0x00] + Self.kek
        #expect(RSAPrivateKey.kek(fromBlock: at10, fallback: fallback) == fallback)
        // A zero inside PS moves the separator: the tail is then longer than 32 bytes.
        var earlyZero = at11
        earlyZero[5] = 0x00
        #expect(RSAPrivateKey.kek(fromBlock: earlyZero, fallback: fallback) == fallback)
        // A zero inside the KEK is fine: only the first zero after 00 02 counts.
        var zeroInKEK = at11
        zeroInKEK[20] = 0x00
        #expect(RSAPrivateKey.kek(fromBlock: zeroInKEK, fallback: fallback) == Array(zeroInKEK.suffix(32)))
        #expect(RSAPrivateKey.kek(fromBlock: [0, 2, 0], fallback: fallback) == fallback)
    }

    @Test("wrong-length and out-of-range ciphertexts also fall back")
    func publicFailures() throws {
        for ciphertext in [[], [UInt8](repeating: 1, count: 255), [UInt8](repeating: 1, count: 257), [UInt8](repeating: 0xFF, count: 256)] {
            let kek = try key.decryptKEK(ciphertext)
            #expect(kek.count == 32)
        }
        #expect(throws: CryptoError.self) { try key.decryptRaw([UInt8](repeating: 0xFF, count: 256)) }
        #expect(throws: CryptoError.self) { try key.decryptRaw([1]) }
    }

    @Test("a KEK longer than k - 11 is refused")
    func longKEK() throws {
        let publicKey = try RSAPublicKey(subjectPublicKeyInfo: CryptoFixtures.rsa1024SPKI)
        #expect(throws: CryptoError.inputTooLong(length: 118, maximum: 117)) {
            try publicKey.encryptKEK([UInt8](repeating: 1, count: 118))
        }
    }

    @Test("constant-time mask helpers")
    func masks() {
        #expect(ConstantTime.isZeroMask(0) == 0xFF)
        #expect((1...255).allSatisfy { ConstantTime.isZeroMask(UInt8($0)) == 0 })
        #expect(ConstantTime.isEqualMask(5, 5) == 0xFF && ConstantTime.isEqualMask(5, 6) == 0)
        #expect(ConstantTime.isEqualMask(Int(-1), Int.max) == 0 && ConstantTime.isEqualMask(1 << 40, 1 << 40) == 0xFF)
        #expect(ConstantTime.isGreaterOrEqualMask(11, 11) == 0xFF && ConstantTime.isGreaterOrEqualMask(12, 11) == 0xFF)
        #expect(ConstantTime.isGreaterOrEqualMask(10, 11) == 0 && ConstantTime.isGreaterOrEqualMask(-5, 0) == 0)
        #expect(ConstantTime.select(0xFF, 7, 9) == 7 && ConstantTime.select(0, 7, 9) == 9)
        #expect(ConstantTime.select(0xFF, [1, 2][...], [3, 4]) == [1, 2] && ConstantTime.select(0, [1, 2][...], [3, 4]) == [3, 4])
        #expect(ConstantTime.isEqual([1, 2, 3], [1, 2, 3]) && !ConstantTime.isEqual([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.isEqual([1], [1, 2]) && ConstantTime.isEqual([], []))
    }
}
