import HalRPC
import Testing
@testable import AlphaEmulator

private func h(_ text: String) -> [UInt8] { CryptoFixtures.bytes(text) }

@Suite("Backup wrapping: PKEY_EXPORT / PKEY_IMPORT (docs/wire-protocol.md §9)")
struct KeyBackupTests {
    let kekek: RSAPrivateKey

    init() throws {
        kekek = try RSAPrivateKey(privateKeyInfo: CryptoFixtures.rsa2048PKCS8)
    }

    @Test("export then import returns the key; sizes and prefixes as §9.2 gives them")
    func roundTrip() throws {
        let share = try HashSigRecordExample.record().privateKeyInfo
        let export = try KeyBackup.export(privateKeyInfo: share, kekek: kekek.publicKey())
        #expect(export.pkcs8.count == 155)
        #expect(Array(export.pkcs8.prefix(19)) == h("30 81 98 30 0B 06 09 60 86 48 01 65 03 04 01 30 04 81 88"))
        #expect(export.kek.count == 277)
        #expect(Array(export.kek.prefix(21)) == h("30 82 01 11 30 0B 06 09 2A 86 48 86 F7 0D 01 01 01 04 82 01 00"))
        #expect(try KeyBackup.importKey(pkcs8: export.pkcs8, kek: export.kek, kekek: kekek) == share)
        // Every export uses a fresh KEK.
        let again = try KeyBackup.export(privateKeyInfo: share, kekek: kekek.publicKey())
        #expect(again.pkcs8 != export.pkcs8 && again.kek != export.kek)
    }

    @Test("a 4096-bit KEKEK gives a 533-byte kek (over the Python client's kek_max 512)")
    func largeKEKEK() throws {
        let publicKey = try RSAPublicKey(subjectPublicKeyInfo: CryptoFixtures.rsa4096SPKI)
        let export = try KeyBackup.export(privateKeyInfo: CryptoFixtures.p256PKCS8, kekek: publicKey)
        #expect(export.kek.count == 533)
        #expect(export.pkcs8.count == DER.EncryptedPrivateKeyInfo(
            algorithm: .init(.aes256WrapPad, parameters: .absent),
            encryptedData: [UInt8](repeating: 0, count: AESKeyWrap.wrappedLength(plaintextLength: CryptoFixtures.p256PKCS8.count))).der.count)
    }

    @Test("a backup made with Python cryptography imports")
    func interoperates() throws {
        let pkcs8 = KeyBackup.encodeWrappedKey(CryptoFixtures.backupWrapped)
        let kek = KeyBackup.encodeEncryptedKEK(CryptoFixtures.backupEncryptedKEK)
        let key = try KeyBackup.importKey(pkcs8: pkcs8, kek: kek, kekek: kekek)
        #expect(key == CryptoFixtures.backupInnerPKCS8)
        guard case .ecPrivate(let loaded) = try KeyMaterial(der: key) else {
            Issue.record("not an EC key")
            return
        }
        #expect(loaded.curve == .p256)
    }

    @Test("NULL parameters are accepted on import as well as absent ones")
    func nullParameters() throws {
        let export = try KeyBackup.export(privateKeyInfo: CryptoFixtures.p256PKCS8, kekek: kekek.publicKey())
        var pkcs8 = try DER.EncryptedPrivateKeyInfo(der: export.pkcs8)
        var kek = try DER.EncryptedPrivateKeyInfo(der: export.kek)
        pkcs8.algorithm.parameters = .null
        kek.algorithm.parameters = .null
        #expect(try KeyBackup.importKey(pkcs8: pkcs8.der, kek: kek.der, kekek: kekek) == CryptoFixtures.p256PKCS8)
    }

    @Test("parse failures are ASN1_PARSE_FAILED (15)")
    func parseFailures() throws {
        let export = try KeyBackup.export(privateKeyInfo: CryptoFixtures.p256PKCS8, kekek: kekek.publicKey())
        // OIDs swapped between the two.
        #expect(cryptoStatus { _ = try KeyBackup.importKey(pkcs8: export.kek, kek: export.kek, kekek: kekek) } == .asn1ParseFailed)
        #expect(cryptoStatus { _ = try KeyBackup.importKey(pkcs8: export.pkcs8, kek: export.pkcs8, kekek: kekek) } == .asn1ParseFailed)
        #expect(cryptoStatus { _ = try KeyBackup.decodeEncryptedKEK(KeyBackup.encodeEncryptedKEK([1])) } == .asn1ParseFailed)
        #expect(cryptoStatus { _ = try KeyBackup.decodeEncryptedKEK(KeyBackup.encodeEncryptedKEK([1, 2])) } == nil)
        #expect(cryptoStatus { _ = try KeyBackup.decodeEncryptedKEK(KeyBackup.encodeEncryptedKEK([UInt8](repeating: 1, count: 5480))) } == nil)
        #expect(cryptoStatus { _ = try KeyBackup.decodeEncryptedKEK(KeyBackup.encodeEncryptedKEK([UInt8](repeating: 1, count: 5481))) } == .asn1ParseFailed)
        #expect(cryptoStatus { _ = try KeyBackup.decodeWrappedKey(KeyBackup.encodeWrappedKey([UInt8](repeating: 1, count: 5481))) } == .asn1ParseFailed)
        var withParameters = try DER.EncryptedPrivateKeyInfo(der: export.pkcs8)
        withParameters.algorithm.parameters = .objectIdentifier(.sha256)
        #expect(cryptoStatus { _ = try KeyBackup.decodeWrappedKey(withParameters.der) } == .asn1ParseFailed)
        for length in stride(from: 0, to: export.kek.count, by: 5) {
            #expect(cryptoStatus { _ = try KeyBackup.decodeEncryptedKEK(Array(export.kek.prefix(length))) } == .asn1ParseFailed)
        }
        #expect(cryptoStatus { _ = try KeyBackup.decodeWrappedKey(export.pkcs8 + [0]) } == .asn1ParseFailed)
    }

    @Test("a wrong KEK (tampered kek, other KEKEK) fails in the unwrap, never with a padding error of its own")
    func wrongKEK() throws {
        let export = try KeyBackup.export(privateKeyInfo: CryptoFixtures.p256PKCS8, kekek: kekek.publicKey())
        var kek = try DER.EncryptedPrivateKeyInfo(der: export.kek)
        kek.encryptedData[100] ^= 0x01
        let keywrapCodes: Set<UInt32> = [9, 10, 11]
        do {
            _ = try KeyBackup.importKey(pkcs8: export.pkcs8, kek: kek.der, kekek: kekek)
            Issue.record("tampered KEK imported")
        } catch {
            #expect(keywrapCodes.contains(error.halError.rawValue))
        }
        let other = try RSAPrivateKey(privateKeyInfo: CryptoFixtures.rsa4096PKCS8)
        do {
            _ = try KeyBackup.importKey(pkcs8: export.pkcs8, kek: export.kek, kekek: other)
            Issue.record("imported under another KEKEK")
        } catch {
            #expect(keywrapCodes.contains(error.halError.rawValue))
        }
        // A wrapped key that no wrap produces (not a multiple of 8) reports a length error.
        var pkcs8 = try DER.EncryptedPrivateKeyInfo(der: export.pkcs8)
        pkcs8.encryptedData.removeLast()
        #expect(throws: CryptoError.keyWrapBadLength) { try KeyBackup.importKey(pkcs8: pkcs8.der, kek: export.kek, kekek: kekek) }
    }
}
