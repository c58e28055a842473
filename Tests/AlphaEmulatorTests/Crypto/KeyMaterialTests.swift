import HalRPC
import Testing
@testable import AlphaEmulator

private func h(_ text: String) -> [UInt8] { CryptoFixtures.bytes(text) }

@Suite("Key DER identification (PKEY_LOAD, docs/wire-protocol.md §4.3)")
struct KeyMaterialTests {
    @Test("each key type and curve is recognised", arguments: [
        ("RSA-1024 private", CryptoFixtures.rsa1024PKCS8, KeyType.rsaPrivate, Curve.none),
        ("RSA-4096 private", CryptoFixtures.rsa4096PKCS8, .rsaPrivate, .none),
        ("RSA-2048 public", CryptoFixtures.rsa2048SPKI, .rsaPublic, .none),
        ("P-256 private", CryptoFixtures.p256PKCS8, .ecPrivate, .p256),
        ("P-384 private", CryptoFixtures.p384PKCS8, .ecPrivate, .p384),
        ("P-521 public", CryptoFixtures.p521SPKI, .ecPublic, .p521),
        ("P-384 public", CryptoFixtures.p384SPKI, .ecPublic, .p384),
        ("hashsig public (TC1)", h("""
            30 53 30 0F 06 0B 2A 86 48 86 F7 0D 01 09 10 03 11 05 00 03 40 00 30 3D 02 01 02 02 01 05 02 01 04
            04 10 61 A5 D5 7D 37 F5 E4 6B FB 75 20 80 6B 07 A1 B8
            04 20 50 65 0E 3B 31 FE 4A 77 3E A2 9A 07 F0 9C F2 EA 30 E5 79 F0 DF 58 EF 8E 29 8D A0 43 4C B2 B8 78
            """), .hashsigPublic, .none),
        ("hashsig private (§8.6 example)", HashSigRecordExample.der, .hashsigPrivate, .none),
    ])
    func identify(name: String, der: [UInt8], type: KeyType, curve: Curve) throws {
        let key = try KeyMaterial(der: der)
        #expect(key.keyType == type, "\(name)")
        #expect(key.curve == curve, "\(name)")
    }

    @Test("a hashsig SPKI with a raw RFC 8708 key loads (only the OID is checked), then fails to parse")
    func rfc8708Key() throws {
        let raw = h("00000002 00000005 00000004 61A5D57D37F5E46BFB7520806B07A1B8 50650E3B31FE4A773EA29A07F09CF2EA30E579F0DF58EF8E298DA0434CB2B878")
        let spki = DER.SubjectPublicKeyInfo(algorithm: .init(.mtsHashSig, parameters: .absent), publicKey: raw).der
        guard case .hashsigPublic(let stored) = try KeyMaterial(der: spki) else {
            Issue.record("not a hashsig public key")
            return
        }
        #expect(stored == spki)
        #expect(throws: DERError.self) { try HashSigPublicKeyInfo(der: stored) }
    }

    @Test("other algorithms are UNSUPPORTED_KEY (2)")
    func unsupported() throws {
        // Ed25519 (1.3.101.112) PKCS#8 and SPKI (RFC 8410 §10.3 examples).
        let ed25519Private = h("302e020100300506032b657004220420d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842")
        let ed25519Public = h("302a300506032b657003210019bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1")
        var secp256k1 = try DER.SubjectPublicKeyInfo(der: CryptoFixtures.p256SPKI)
        secp256k1.algorithm.parameters = .objectIdentifier(try DER.OID(contentBytes: [0x2B, 0x81, 0x04, 0x00, 0x0A]))
        for der in [ed25519Private, ed25519Public, secp256k1.der] {
            do {
                _ = try KeyMaterial(der: der)
                Issue.record("accepted")
            } catch {
                #expect(error.halError == .unsupportedKey)
            }
        }
    }

    @Test("malformed DER is ASN1_PARSE_FAILED (15), at every truncation")
    func malformed() {
        func code(_ der: [UInt8]) -> HALError? {
            do { _ = try KeyMaterial(der: der) } catch { return error.halError }
            return nil
        }
        #expect(code([]) == .asn1ParseFailed)
        #expect(code([0x30, 0x00]) == .asn1ParseFailed)
        #expect(code(h("30 84 FF FF FF FF")) == .asn1ParseFailed)
        #expect(code(CryptoFixtures.p256SPKI + [0]) == .asn1ParseFailed)
        #expect(code(CryptoFixtures.rsa1024PKCS8 + [0]) == .asn1ParseFailed)
        for der in [CryptoFixtures.p256PKCS8, CryptoFixtures.p384SPKI, HashSigRecordExample.der] {
            for length in 0..<der.count {
                #expect(code(Array(der.prefix(length))) == .asn1ParseFailed, "length \(length)")
            }
        }
    }

    @Test("a P-256 point off the curve is KEY_NOT_ON_CURVE (16)")
    func offCurve() {
        var der = CryptoFixtures.p256SPKI
        der[der.count - 5] ^= 0x10
        do {
            _ = try KeyMaterial(der: der)
            Issue.record("accepted")
        } catch {
            #expect(error.halError == .keyNotOnCurve)
        }
    }
}
