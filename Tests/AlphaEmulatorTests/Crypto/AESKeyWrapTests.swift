import HalRPC
import Testing
@testable import AlphaEmulator

private func h(_ text: String) -> [UInt8] { CryptoFixtures.bytes(text) }

@Suite("AES key wrap with padding (RFC 5649)")
struct AESKeyWrapTests {
    /// RFC 5649 §6: both examples use this 192-bit KEK.
    static let rfcKEK = h("5840df6e29b02af1 ab493b705bf16ea1 ae8338f4dcc176a8")
    static let key256 = [UInt8](repeating: 0x42, count: 32)

    @Test("RFC 5649 §6 examples (AES-192), both ways", arguments: [
        ("c37b7e6492584340 bed1220780894115 5068f738", "138bdeaa9b8fa7fc 61f97742e72248ee 5ae6ae5360d1ae6a 5f54f373fa543b6a"),
        ("466f7250617369", "afbeb0f07dfbf541 9200f2ccb50bb24f"),
    ])
    func rfcExamples(plaintext: String, wrapped: String) throws {
        #expect(try AESKeyWrap.wrap(h(plaintext), anyAESKey: Self.rfcKEK) == h(wrapped))
        #expect(try AESKeyWrap.unwrap(h(wrapped), anyAESKey: Self.rfcKEK) == h(plaintext))
    }

    @Test("AES-256 wrap matches Python cryptography's independent KWP")
    func interoperates() throws {
        let wrapped = try AESKeyWrap.wrap(CryptoFixtures.backupInnerPKCS8, key: CryptoFixtures.backupKEK)
        #expect(wrapped == CryptoFixtures.backupWrapped)
        #expect(try AESKeyWrap.unwrap(CryptoFixtures.backupWrapped, key: CryptoFixtures.backupKEK) == CryptoFixtures.backupInnerPKCS8)
    }

    @Test("AES-256 round trips; output length (m + 15) & ~7")
    func roundTrips() throws {
        for length in Array(1...70) + [127, 1000, 5480] {
            let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let wrapped = try AESKeyWrap.wrap(plaintext, key: Self.key256)
            #expect(wrapped.count == (length + 15) & ~7)
            #expect(wrapped.count == AESKeyWrap.wrappedLength(plaintextLength: length))
            #expect(try AESKeyWrap.unwrap(wrapped, key: Self.key256) == plaintext, "length \(length)")
        }
        #expect(AESKeyWrap.wrappedLength(plaintextLength: 127) == 136)
    }

    @Test("bad magic → 9: wrong key, or any corrupted byte", arguments: [8, 16, 40])
    func badMagic(length: Int) throws {
        let plaintext = [UInt8](repeating: 0x33, count: length)
        let wrapped = try AESKeyWrap.wrap(plaintext, key: Self.key256)
        var otherKey = Self.key256
        otherKey[0] ^= 1
        #expect(throws: CryptoError.keyWrapBadMagic) { try AESKeyWrap.unwrap(wrapped, key: otherKey) }
        for index in wrapped.indices {
            var corrupted = wrapped
            corrupted[index] ^= 0x80
            #expect(throws: CryptoError.keyWrapBadMagic, "byte \(index)") { try AESKeyWrap.unwrap(corrupted, key: Self.key256) }
        }
        #expect(CryptoError.keyWrapBadMagic.halError == .keywrapBadMagic)
    }

    /// Integrity values forged with the right magic and a chosen MLI: one block (n = 1) and the
    /// six-round path (n = 3).
    @Test("MLI out of range → 10", arguments: [(8, 0), (8, 9), (24, 16), (24, 25), (24, 0), (24, 0xFFFF_FFFF)])
    func badLength(paddedLength: Int, mli: UInt32) throws {
        let forged = try AESKeyWrap.encrypt(
            integrityValue: AESKeyWrap.magic + withUnsafeBytes(of: mli.bigEndian, Array.init),
            padded: [UInt8](repeating: 0, count: paddedLength), key: Self.key256)
        #expect(throws: CryptoError.keyWrapBadLength) { try AESKeyWrap.unwrap(forged, key: Self.key256) }
        #expect(CryptoError.keyWrapBadLength.halError == .keywrapBadLength)
    }

    @Test("non-zero padding → 11", arguments: [(8, 7, 7), (24, 17, 20), (24, 23, 23)])
    func badPadding(paddedLength: Int, mli: UInt32, dirtyIndex: Int) throws {
        var padded = [UInt8](repeating: 0x55, count: Int(mli)) + [UInt8](repeating: 0, count: paddedLength - Int(mli))
        padded[dirtyIndex] = 0x01
        let forged = try AESKeyWrap.encrypt(
            integrityValue: AESKeyWrap.magic + withUnsafeBytes(of: mli.bigEndian, Array.init), padded: padded, key: Self.key256)
        #expect(throws: CryptoError.keyWrapBadPadding) { try AESKeyWrap.unwrap(forged, key: Self.key256) }
        #expect(CryptoError.keyWrapBadPadding.halError == .keywrapBadPadding)
        // The same forgery with clean padding unwraps.
        padded[dirtyIndex] = 0
        let clean = try AESKeyWrap.encrypt(
            integrityValue: AESKeyWrap.magic + withUnsafeBytes(of: mli.bigEndian, Array.init), padded: padded, key: Self.key256)
        #expect(try AESKeyWrap.unwrap(clean, key: Self.key256).count == Int(mli))
    }

    @Test("arguments no wrap can have are refused")
    func badArguments() {
        #expect(throws: CryptoError.self) { try AESKeyWrap.wrap([], key: Self.key256) }
        #expect(throws: CryptoError.self) { try AESKeyWrap.wrap([1], key: Array(Self.key256.prefix(24))) }
        for length in [0, 8, 15, 17, 23] {
            #expect(throws: CryptoError.self, "\(length)") {
                try AESKeyWrap.unwrap([UInt8](repeating: 0, count: length), key: Self.key256)
            }
        }
    }
}
