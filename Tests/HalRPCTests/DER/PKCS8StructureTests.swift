import Testing
@testable import HalRPC

@Suite("SubjectPublicKeyInfo, PrivateKeyInfo, EncryptedPrivateKeyInfo")
struct PKCS8StructureTests {
    @Test("PrivateKeyInfo: version 0, optional attributes skipped, nothing after")
    func privateKeyInfo() throws {
        let info = DER.PrivateKeyInfo(algorithm: .init(.rsaEncryption, parameters: .null), privateKey: [1, 2, 3])
        let der = info.der
        #expect(der == derBytes("30 17 02 01 00 30 0D 06 09 2A 86 48 86 F7 0D 01 01 01 05 00 04 03 01 02 03"))
        #expect(try DER.PrivateKeyInfo(der: der) == info)

        var withAttributes = der + derBytes("A0 00")
        withAttributes[1] += 2
        #expect(try DER.PrivateKeyInfo(der: withAttributes) == info)

        var version1 = der
        version1[4] = 1
        #expect(throws: DERError.self) { try DER.PrivateKeyInfo(der: version1) }
        #expect(throws: DERError.self) { try DER.PrivateKeyInfo(der: der + [0]) }
        for length in 0..<der.count {
            #expect(throws: DERError.self) { try DER.PrivateKeyInfo(der: Array(der.prefix(length))) }
        }
    }

    @Test("SubjectPublicKeyInfo and EncryptedPrivateKeyInfo round-trip")
    func others() throws {
        let spki = DER.SubjectPublicKeyInfo(algorithm: .init(.ecPublicKey, parameters: .objectIdentifier(.prime256v1)), publicKey: [4, 1, 2])
        #expect(try DER.SubjectPublicKeyInfo(der: spki.der) == spki)
        let encrypted = DER.EncryptedPrivateKeyInfo(algorithm: .init(.aes256WrapPad, parameters: .absent), encryptedData: [9, 9])
        #expect(encrypted.der == derBytes("30 11 30 0B 06 09 60 86 48 01 65 03 04 01 30 04 02 09 09"))
        #expect(try DER.EncryptedPrivateKeyInfo(der: encrypted.der) == encrypted)
        // A PrivateKeyInfo is not an SPKI and vice versa.
        let pkcs8 = DER.PrivateKeyInfo(algorithm: .init(.rsaEncryption, parameters: .null), privateKey: [1]).der
        #expect(throws: DERError.self) { try DER.SubjectPublicKeyInfo(der: pkcs8) }
        #expect(throws: DERError.self) { try DER.PrivateKeyInfo(der: spki.der) }
    }
}
