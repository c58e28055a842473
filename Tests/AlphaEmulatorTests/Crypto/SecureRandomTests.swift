import HalRPC
import Testing
@testable import AlphaEmulator

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test("the requested number of bytes, different each time")
    func bytes() throws {
        #expect(try SecureRandom.bytes(0) == [])
        let a = try SecureRandom.bytes(32)
        let b = try SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
        #expect(try SecureRandom.bytes(16368).count == 16368)
        #expect(CryptoError.randomGeneratorFailure(OpenSSLError(function: "RAND_bytes", code: 0, reason: "")).halError == .csprngBroken)
    }

    @Test("zeroise empties and wipes")
    func zeroise() {
        var secret: [UInt8] = [1, 2, 3]
        secret.zeroise()
        #expect(secret.isEmpty)
    }
}
