import RFC8554Vectors
import Testing
@testable import HashSig

/// RFC 8554 Appendix F Test Case 2 rebuilt from its published SEEDs and I values (Appendix A).
@Suite("Test Case 2 from its SEEDs")
struct TestCase2RegenerationTests {
    let top: [String: String]
    let bottom: [String: String]
    let vector: RFC8554Vectors.Case

    init() throws {
        top = try RFC8554Vectors.testCase2Private("top")
        bottom = try RFC8554Vectors.testCase2Private("bottom")
        vector = try RFC8554Vectors.load("tc2.vec")
    }

    func tree(_ values: [String: String], _ parameters: LMS.Parameters) throws -> LMS.PrivateKey {
        try LMS.PrivateKey(parameters: parameters, identifier: RFC8554Vectors.hex(values["I"]!),
                           seed: LMS.Seed(bytes: RFC8554Vectors.hex(values["SEED"]!)), nextLeafIndex: UInt32(values["q"]!)!)
    }

    @Test("The bottom tree's public key is the one embedded in the signature")
    func bottomPublicKey() throws {
        let bottomTree = try tree(bottom, .h5w8)
        let signature = try HSS.Signature(bytes: vector.signature)
        #expect(bottomTree.publicKey == signature.signedPublicKeys[0].publicKey)
        #expect(bottomTree.publicKey.bytes.hexString == "00000005" + "00000004" + "215f83b7ccb9acbcd08db97b0d04dc2b"
            + "a1cd035833e0e90059603f26e07ad2aad152338e7a5e5984bcd5f7bb4eba40b7")
    }

    @Test("The top tree's root is T1 of the public key")
    func topRoot() throws {
        let topTree = try tree(top, .h10w4)
        let publicKey = try HSS.PublicKey(bytes: vector.publicKey)
        #expect(topTree.publicKey == publicKey.topPublicKey)
    }

    @Test("Signing with the published q and C reproduces the signature byte for byte")
    func signature() throws {
        let trees = [try tree(top, .h10w4), try tree(bottom, .h5w8)]
        let random = ScriptedRandom([try RFC8554Vectors.hex(top["C"]!), try RFC8554Vectors.hex(bottom["C"]!)])
        let key = try HSS.PrivateKey(trees: trees, random: random)
        let signature = try key.sign(vector.message, random: random)
        #expect(random.isEmpty)
        #expect(signature.bytes == vector.signature)
        #expect(key.publicKey.bytes == vector.publicKey)
        #expect(key.signingState.nextLeafIndices == [4, 5])
    }
}
