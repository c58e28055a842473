import HalRPC
import Testing
@testable import AlphaEmulator

private func h(_ text: String) -> [UInt8] { CryptoFixtures.bytes(text) }

@Suite("PBKDF2-HMAC")
struct PBKDF2Tests {
    /// RFC 7914 §11 (PBKDF2-HMAC-SHA256) and the widely published "password"/"salt" values;
    /// RFC 6070 for SHA-1.
    @Test("known answers", arguments: [
        ("passwd", "salt", 1, 64, DigestAlgorithm.sha256,
         "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
        ("Password", "NaCl", 80000, 64, .sha256,
         "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
        ("password", "salt", 1, 32, .sha256, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
        ("password", "salt", 4096, 32, .sha256, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
        ("password", "salt", 4096, 20, .sha1, "4b007901b765489abead49d926f721d065a429c1"),
    ])
    func knownAnswers(password: String, salt: String, iterations: Int, length: Int, digest: DigestAlgorithm, expected: String) throws {
        let derived = try PBKDF2.deriveKey(
            password: Array(password.utf8), salt: Array(salt.utf8), iterations: iterations, length: length, digest: digest)
        #expect(derived == h(expected))
    }

    @Test("out-of-range arguments are refused")
    func refusals() {
        #expect(throws: CryptoError.self) { try PBKDF2.deriveKey(password: [1], salt: [1], iterations: 0, length: 64) }
        #expect(throws: CryptoError.self) { try PBKDF2.deriveKey(password: [1], salt: [1], iterations: 1, length: 0) }
        #expect(throws: CryptoError.self) { try PBKDF2.deriveKey(password: [1], salt: [1], iterations: 1, length: 8, digest: .none) }
        #expect((try? PBKDF2.deriveKey(password: [], salt: [], iterations: 1, length: 8))?.count == 8)
    }
}
