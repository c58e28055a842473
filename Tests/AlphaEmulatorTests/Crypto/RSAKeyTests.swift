import HalRPC
import Testing
@testable import AlphaEmulator

@Suite("RSA: PKCS#1 v1.5 signatures over a DigestInfo, KEK encryption")
struct RSAKeyTests {
    typealias Fixture = (bits: Int, pkcs8: [UInt8], spki: [UInt8], signature: [UInt8])

    static let fixtures: [Fixture] = [
        (1024, CryptoFixtures.rsa1024PKCS8, CryptoFixtures.rsa1024SPKI, CryptoFixtures.rsa1024Signature),
        (2048, CryptoFixtures.rsa2048PKCS8, CryptoFixtures.rsa2048SPKI, CryptoFixtures.rsa2048Signature),
        (4096, CryptoFixtures.rsa4096PKCS8, CryptoFixtures.rsa4096SPKI, CryptoFixtures.rsa4096Signature),
    ]

    @Test("signatures are byte-identical to Python cryptography's", arguments: fixtures.map(\.bits))
    func knownSignatures(bits: Int) throws {
        let fixture = Self.fixtures.first { $0.bits == bits }!
        let key = try RSAPrivateKey(privateKeyInfo: fixture.pkcs8)
        #expect(key.modulusByteCount == bits / 8)
        #expect(try key.signPKCS1v15(digestInfo: CryptoFixtures.sha256DigestInfo) == fixture.signature)

        let publicKey = try RSAPublicKey(subjectPublicKeyInfo: fixture.spki)
        #expect(publicKey.modulusByteCount == bits / 8)
        #expect(try publicKey.isValidSignature(fixture.signature, digestInfo: CryptoFixtures.sha256DigestInfo))
        #expect(try key.publicKey().isValidSignature(fixture.signature, digestInfo: CryptoFixtures.sha256DigestInfo))
    }

    @Test("PKCS#8 and SPKI export reproduce the fixture bytes", arguments: fixtures.map(\.bits))
    func export(bits: Int) throws {
        let fixture = Self.fixtures.first { $0.bits == bits }!
        let key = try RSAPrivateKey(privateKeyInfo: fixture.pkcs8)
        #expect(try key.privateKeyInfo() == fixture.pkcs8)
        #expect(try key.publicKey().subjectPublicKeyInfo() == fixture.spki)
        #expect(try RSAPublicKey(subjectPublicKeyInfo: fixture.spki).subjectPublicKeyInfo() == fixture.spki)
    }

    @Test("a PKCS#1 RSAPrivateKey loads as the same key")
    func pkcs1() throws {
        let key = try RSAPrivateKey(pkcs1: CryptoFixtures.rsa2048PKCS1)
        #expect(try key.privateKeyInfo() == CryptoFixtures.rsa2048PKCS8)
        #expect(try key.signPKCS1v15(digestInfo: CryptoFixtures.sha256DigestInfo) == CryptoFixtures.rsa2048Signature)
    }

    @Test("every flipped bit of the signature, and any other DigestInfo, is rejected")
    func rejections() throws {
        let publicKey = try RSAPublicKey(subjectPublicKeyInfo: CryptoFixtures.rsa1024SPKI)
        let signature = CryptoFixtures.rsa1024Signature
        let digestInfo = CryptoFixtures.sha256DigestInfo
        for index in signature.indices {
            var flipped = signature
            flipped[index] ^= 1 << (index % 8)
            #expect(try !publicKey.isValidSignature(flipped, digestInfo: digestInfo), "byte \(index)")
        }
        var otherInfo = digestInfo
        otherInfo[otherInfo.count - 1] ^= 1
        #expect(try !publicKey.isValidSignature(signature, digestInfo: otherInfo))
        #expect(try !publicKey.isValidSignature(signature, digestInfo: Array(digestInfo.dropLast())))
        #expect(try !publicKey.isValidSignature(Array(signature.dropFirst()), digestInfo: digestInfo))
        #expect(try !publicKey.isValidSignature(signature + [0], digestInfo: digestInfo))
        #expect(try !publicKey.isValidSignature([], digestInfo: digestInfo))
        #expect(try !publicKey.isValidSignature([UInt8](repeating: 0xFF, count: 128), digestInfo: digestInfo))
        // Another key's signature.
        let other = try RSAPublicKey(subjectPublicKeyInfo: CryptoFixtures.rsa2048SPKI)
        #expect(try !other.isValidSignature(CryptoFixtures.rsa2048Signature, digestInfo: otherInfo))
    }

    @Test("input longer than k - 11 bytes is refused; k - 11 is signed")
    func inputLength() throws {
        let key = try RSAPrivateKey(privateKeyInfo: CryptoFixtures.rsa1024PKCS8)
        let longest = [UInt8](repeating: 0x5A, count: 128 - 11)
        let signature = try key.signPKCS1v15(digestInfo: longest)
        #expect(try key.publicKey().isValidSignature(signature, digestInfo: longest))
        // The public operation recovers the padded block: 00 01 FF…FF 00 ‖ input, here with
        // exactly the minimum of eight FF bytes.
        let block = try key.publicKey().encryptRaw(signature)
        #expect(Array(block.prefix(10)) == [0x00, 0x01] + [UInt8](repeating: 0xFF, count: 8))
        #expect(block[10] == 0x00)
        #expect(throws: CryptoError.inputTooLong(length: 118, maximum: 117)) {
            try key.signPKCS1v15(digestInfo: longest + [0])
        }
        #expect(CryptoError.inputTooLong(length: 118, maximum: 117).halError == .resultTooLong)
    }

    @Test("generate: 1024 bits, exponent 01 00 01, sign and verify")
    func generate() throws {
        let key = try RSAPrivateKey.generate(bits: 1024, publicExponent: [0x01, 0x00, 0x01])
        #expect(key.modulusByteCount == 128)
        let publicKey = try key.publicKey()
        let signature = try key.signPKCS1v15(digestInfo: CryptoFixtures.sha256DigestInfo)
        #expect(try publicKey.isValidSignature(signature, digestInfo: CryptoFixtures.sha256DigestInfo))
        // The exported forms load back as the same key.
        let reloaded = try RSAPrivateKey(privateKeyInfo: key.privateKeyInfo())
        #expect(try reloaded.signPKCS1v15(digestInfo: CryptoFixtures.sha256DigestInfo) == signature)
        #expect(try RSAPublicKey(subjectPublicKeyInfo: publicKey.subjectPublicKeyInfo()).isValidSignature(
            signature, digestInfo: CryptoFixtures.sha256DigestInfo))
        // 2^2048 key length with a leading-zero exponent of 3.
        let small = try RSAPrivateKey.generate(bits: 1032, publicExponent: [0x00, 0x03])
        #expect(small.modulusByteCount == 129)
    }

    @Test("generate refuses bad lengths and exponents with the board's codes")
    func generateRefusals() {
        for bits in [0, 1023, 1025, -8] {
            #expect(throws: CryptoError.self) { try RSAPrivateKey.generate(bits: bits, publicExponent: [1, 0, 1]) }
            #expect((try? RSAPrivateKey.generate(bits: bits, publicExponent: [1, 0, 1])) == nil)
        }
        for bits in [512, 1016, 4104, 8192] {
            do {
                _ = try RSAPrivateKey.generate(bits: bits, publicExponent: [1, 0, 1])
                Issue.record("\(bits) bits accepted")
            } catch {
                #expect(error.halError == .unsupportedKey, "\(bits) bits")
            }
        }
        for exponent: [UInt8] in [[], [0], [0, 1], [1], [1, 0, 0], [2]] {
            do {
                _ = try RSAPrivateKey.generate(bits: 1024, publicExponent: exponent)
                Issue.record("exponent \(exponent) accepted")
            } catch {
                #expect(error.halError == .badArguments, "exponent \(exponent)")
            }
        }
    }

    @Test("loading refuses other algorithms and malformed keys")
    func loadRefusals() throws {
        #expect(cryptoStatus { _ = try RSAPrivateKey(privateKeyInfo: CryptoFixtures.p256PKCS8) } == .unsupportedKey)
        #expect(cryptoStatus { _ = try RSAPublicKey(subjectPublicKeyInfo: CryptoFixtures.p256SPKI) } == .unsupportedKey)
        #expect(cryptoStatus { _ = try RSAPrivateKey(privateKeyInfo: CryptoFixtures.rsa1024SPKI) } == .asn1ParseFailed)
        #expect(cryptoStatus { _ = try RSAPrivateKey(privateKeyInfo: CryptoFixtures.rsa1024PKCS8 + [0]) } == .asn1ParseFailed)
        #expect(cryptoStatus { _ = try RSAPrivateKey(privateKeyInfo: []) } == .asn1ParseFailed)
        // Well-formed PKCS#8 whose RSAPrivateKey is junk: OpenSSL's refusal.
        let junk = DER.PrivateKeyInfo(algorithm: .init(.rsaEncryption, parameters: .null), privateKey: [0x30, 0x03, 0x02, 0x01, 0x00]).der
        #expect(cryptoStatus { _ = try RSAPrivateKey(privateKeyInfo: junk) } == .asn1ParseFailed)
        // rsaEncryption with parameters other than NULL.
        var info = try DER.PrivateKeyInfo(der: CryptoFixtures.rsa1024PKCS8)
        info.algorithm.parameters = .objectIdentifier(.sha256)
        #expect(cryptoStatus { _ = try RSAPrivateKey(privateKeyInfo: info.der) } == .asn1ParseFailed)
        // Truncated anywhere.
        for length in stride(from: 0, to: CryptoFixtures.rsa1024SPKI.count, by: 7) {
            #expect(cryptoStatus { _ = try RSAPublicKey(subjectPublicKeyInfo: Array(CryptoFixtures.rsa1024SPKI.prefix(length))) } == .asn1ParseFailed)
        }
    }
}
