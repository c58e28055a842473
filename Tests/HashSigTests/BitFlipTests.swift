import Testing
@testable import HashSig

/// Flipping one bit of a signature, message or public key makes verification fail: either a
/// typed error (when the flip hits a type code, a count or q) or an invalid result.
@Suite("Single-bit changes are detected")
struct BitFlipTests {
    let publicKey: [UInt8]
    let signature: [UInt8]
    let message: [UInt8]

    init() throws {
        let key = try HSS.PrivateKey.generate(levels: [.h5w4, .h5w8], topKeys: .seed(LMS.Seed.random()))
        message = Array("Bit flips must never verify.\n".utf8)
        signature = try key.sign(message).bytes
        publicKey = key.publicKey.bytes
        #expect(try key.publicKey.verify(signature: signature, for: message) == .valid)
    }

    static func fails(publicKey: [UInt8], signature: [UInt8], message: [UInt8]) -> Bool {
        guard let key = try? HSS.PublicKey(bytes: publicKey) else { return true }
        guard let result = try? key.verify(signature: signature, for: message) else { return true }
        return !result.isValid
    }

    /// Bits spread over the whole input, plus every bit of its first and last 8 bytes.
    static func sampledBits(count byteCount: Int, stride step: Int) -> [Int] {
        let bits = byteCount * 8
        let edges = Array(0..<64) + Array((bits - 64)..<bits)
        return Array(Set(edges + Array(stride(from: 0, to: bits, by: step)))).sorted()
    }

    @Test("Signature bits")
    func signatureBits() {
        let bits = Self.sampledBits(count: signature.count, stride: 13)
        #expect(bits.count > 1500)
        for bit in bits {
            var flipped = signature
            flipped[bit / 8] ^= 1 << (bit % 8)
            #expect(Self.fails(publicKey: publicKey, signature: flipped, message: message), "bit \(bit)")
        }
    }

    @Test("Message bits (all of them)")
    func messageBits() {
        for bit in 0..<(message.count * 8) {
            var flipped = message
            flipped[bit / 8] ^= 1 << (bit % 8)
            #expect(Self.fails(publicKey: publicKey, signature: signature, message: flipped), "bit \(bit)")
        }
    }

    @Test("Public key bits (all of them)")
    func publicKeyBits() {
        for bit in 0..<(publicKey.count * 8) {
            var flipped = publicKey
            flipped[bit / 8] ^= 1 << (bit % 8)
            #expect(Self.fails(publicKey: flipped, signature: signature, message: message), "bit \(bit)")
        }
    }
}
