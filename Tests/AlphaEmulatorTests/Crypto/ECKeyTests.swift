import HalRPC
import Testing
@testable import AlphaEmulator

@Suite("ECDSA on P-256, P-384, P-521 with r ‖ s signatures")
struct ECKeyTests {
    struct Fixture: Sendable, CustomTestStringConvertible {
        let curve: Curve
        let pkcs8: [UInt8]
        let spki: [UInt8]
        let digest: [UInt8]
        let signature: [UInt8]
        var testDescription: String { curve.description }
    }

    static let fixtures = [
        Fixture(curve: .p256, pkcs8: CryptoFixtures.p256PKCS8, spki: CryptoFixtures.p256SPKI,
                digest: CryptoFixtures.p256Digest, signature: CryptoFixtures.p256Signature),
        Fixture(curve: .p384, pkcs8: CryptoFixtures.p384PKCS8, spki: CryptoFixtures.p384SPKI,
                digest: CryptoFixtures.p384Digest, signature: CryptoFixtures.p384Signature),
        Fixture(curve: .p521, pkcs8: CryptoFixtures.p521PKCS8, spki: CryptoFixtures.p521SPKI,
                digest: CryptoFixtures.p521Digest, signature: CryptoFixtures.p521Signature),
    ]

    @Test("signatures made by Python cryptography verify", arguments: fixtures)
    func knownSignatures(fixture: Fixture) throws {
        let publicKey = try ECPublicKey(subjectPublicKeyInfo: fixture.spki)
        #expect(publicKey.curve == fixture.curve)
        #expect(fixture.signature.count == fixture.curve.signatureLength)
        #expect(try publicKey.isValidSignature(fixture.signature, digest: fixture.digest))
        let privateKey = try ECPrivateKey(privateKeyInfo: fixture.pkcs8)
        #expect(privateKey.curve == fixture.curve)
        #expect(try privateKey.publicKey().isValidSignature(fixture.signature, digest: fixture.digest))
        #expect(try privateKey.publicKey().subjectPublicKeyInfo() == fixture.spki)
        #expect(try publicKey.subjectPublicKeyInfo() == fixture.spki)
    }

    @Test("sign then verify; fixed lengths 64, 96, 132", arguments: fixtures)
    func roundTrip(fixture: Fixture) throws {
        let privateKey = try ECPrivateKey(privateKeyInfo: fixture.pkcs8)
        let publicKey = try ECPublicKey(subjectPublicKeyInfo: fixture.spki)
        // Many signatures, so that some r or s has leading zero bytes and the padding is exercised.
        for round in 0..<40 {
            let digest = try DigestContext.hash(.sha512, [UInt8(round)])
            let signature = try privateKey.sign(digest: digest)
            #expect(signature.count == [Curve.p256: 64, .p384: 96, .p521: 132][fixture.curve])
            #expect(try publicKey.isValidSignature(signature, digest: digest))
        }
        // Fresh k: two signatures of one digest differ.
        #expect(try privateKey.sign(digest: fixture.digest) != privateKey.sign(digest: fixture.digest))
    }

    @Test("flipped bits, other digests, wrong lengths and zero values are rejected", arguments: fixtures)
    func rejections(fixture: Fixture) throws {
        let publicKey = try ECPublicKey(subjectPublicKeyInfo: fixture.spki)
        for index in stride(from: 0, to: fixture.signature.count, by: 3) {
            var flipped = fixture.signature
            flipped[index] ^= 0x40
            #expect(try !publicKey.isValidSignature(flipped, digest: fixture.digest), "byte \(index)")
        }
        var digest = fixture.digest
        digest[0] ^= 1
        #expect(try !publicKey.isValidSignature(fixture.signature, digest: digest))
        #expect(try !publicKey.isValidSignature(Array(fixture.signature.dropLast()), digest: fixture.digest))
        #expect(try !publicKey.isValidSignature(fixture.signature + [0], digest: fixture.digest))
        #expect(try !publicKey.isValidSignature([], digest: fixture.digest))
        #expect(try !publicKey.isValidSignature([UInt8](repeating: 0, count: fixture.signature.count), digest: fixture.digest))
        #expect(try !publicKey.isValidSignature([UInt8](repeating: 0xFF, count: fixture.signature.count), digest: fixture.digest))
    }

    @Test("generate on each curve; unsupported curves are bad arguments")
    func generate() throws {
        for curve in [Curve.p256, .p384, .p521] {
            let key = try ECPrivateKey.generate(curve: curve)
            #expect(key.curve == curve)
            let reloaded = try ECPrivateKey(privateKeyInfo: key.privateKeyInfo())
            let signature = try reloaded.sign(digest: CryptoFixtures.p256Digest)
            #expect(try key.publicKey().isValidSignature(signature, digest: CryptoFixtures.p256Digest))
        }
        for curve in [Curve.none, Curve(rawValue: 4)] {
            do {
                _ = try ECPrivateKey.generate(curve: curve)
                Issue.record("curve \(curve) accepted")
            } catch {
                #expect(error.halError == .badArguments)
            }
        }
    }

    @Test("a SEC 1 ECPrivateKey loads as the same key")
    func sec1() throws {
        let key = try ECPrivateKey(sec1: CryptoFixtures.p256SEC1, curve: .p256)
        #expect(try key.publicKey().subjectPublicKeyInfo() == CryptoFixtures.p256SPKI)
        #expect(throws: CryptoError.self) { try ECPrivateKey(sec1: CryptoFixtures.p256SEC1, curve: .none) }
    }

    @Test("a point off the curve is KEY_NOT_ON_CURVE; other curves are UNSUPPORTED_KEY")
    func loadRefusals() throws {
        var offCurve = CryptoFixtures.p256SPKI
        offCurve[offCurve.count - 1] ^= 1
        do {
            _ = try ECPublicKey(subjectPublicKeyInfo: offCurve)
            Issue.record("point off the curve accepted")
        } catch {
            #expect(error == .keyNotOnCurve(.p256))
            #expect(error.halError == .keyNotOnCurve)
        }
        // The same point labelled secp256k1 (1.3.132.0.10): a curve the board lacks.
        var info = try DER.SubjectPublicKeyInfo(der: CryptoFixtures.p256SPKI)
        info.algorithm.parameters = .objectIdentifier(try DER.OID(contentBytes: [0x2B, 0x81, 0x04, 0x00, 0x0A]))
        #expect(throws: CryptoError.self) { try ECPublicKey(subjectPublicKeyInfo: info.der) }
        do { _ = try ECPublicKey(subjectPublicKeyInfo: info.der) } catch { #expect(error.halError == .unsupportedKey) }
        // No parameters at all.
        info.algorithm.parameters = .absent
        do { _ = try ECPublicKey(subjectPublicKeyInfo: info.der) } catch { #expect(error.halError == .unsupportedKey) }
        // A P-256 point labelled P-384: OpenSSL refuses it.
        info.algorithm.parameters = .objectIdentifier(.secp384r1)
        do { _ = try ECPublicKey(subjectPublicKeyInfo: info.der) } catch { #expect(error.halError == .asn1ParseFailed) }
        // An RSA key is not an EC key.
        do { _ = try ECPrivateKey(privateKeyInfo: CryptoFixtures.rsa1024PKCS8) } catch { #expect(error.halError == .unsupportedKey) }
    }
}
