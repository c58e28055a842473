import Testing
@testable import HashSig

@Suite("Key generation, signing and verification")
struct RoundTripTests {
    static let messages: [[UInt8]] = [[], Array("a".utf8), Array(repeating: 0xA5, count: 1000),
                                      (0..<16384).map { UInt8(truncatingIfNeeded: $0 &* 31) }]

    @Test("Every LM-OTS type with H5: sign several messages and verify", arguments: LMOTSType.allCases)
    func everyLMOTSType(type: LMOTSType) throws {
        let parameters = LMS.Parameters(.sha256M32H5, type)
        let key = try HSS.PrivateKey.generate(levels: [parameters])
        for (index, message) in Self.messages.enumerated() {
            let signature = try key.sign(message)
            #expect(signature.levels == 1)
            #expect(signature.topLeafIndex == UInt32(index))
            #expect(signature.length == HSS.signatureLength(levels: [parameters]))
            #expect(key.publicKey.verify(signature, for: message) == .valid)
            #expect(try key.publicKey.verify(signature: signature.bytes, for: message) == .valid)
            // A signature for one message does not verify another.
            #expect(key.publicKey.verify(signature, for: message + [0]) == .invalid(.rootMismatch(level: 0)))
        }
        #expect(key.signingState.nextLeafIndices == [UInt32(Self.messages.count)])
    }

    @Test("LMS keys alone: random and SEED-derived one-time keys, every LM-OTS type",
          arguments: LMOTSType.allCases, [false, true])
    func lmsAlone(type: LMOTSType, seeded: Bool) throws {
        let keys: LMS.KeyGeneration = seeded ? .seed(try LMS.Seed.random()) : .random
        let key = try LMS.PrivateKey.generate(parameters: LMS.Parameters(.sha256M32H5, type), keys: keys)
        #expect((key.seed != nil) == seeded)
        let message = Array("LMS".utf8)
        let signature = try key.sign(message)
        #expect(key.publicKey.verify(signature, for: message) == .valid)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("LMT".utf8)))
    }

    @Test("H10/W4 over H5/W4 (L = 2): sign and verify")
    func h10() throws {
        let key = try HSS.PrivateKey.generate(levels: [.h10w4, .h5w4], topKeys: .seed(LMS.Seed.random()))
        #expect(key.signingState.nextLeafIndices == [1, 0])  // the top signed the bottom tree
        for message in Self.messages {
            let signature = try key.sign(message)
            #expect(key.publicKey.verify(signature, for: message) == .valid)
        }
        #expect(key.signingState.nextLeafIndices == [1, 4])
    }

    @Test("Three levels of mixed parameter sets")
    func threeLevels() throws {
        let levels: [LMS.Parameters] = [.h5w8, .h5w2, .h5w4]
        let key = try HSS.PrivateKey.generate(levels: levels)
        #expect(key.levelParameters == levels)
        #expect(key.publicKey.levels == 3)
        let signature = try key.sign([1, 2, 3])
        #expect(signature.bytes.count == HSS.signatureLength(levels: levels))
        #expect(try key.publicKey.verify(signature: signature.bytes, for: [1, 2, 3]) == .valid)
        #expect(signature.leafIndices == [0, 0, 0])
    }

    @Test("A key rebuilt from the same SEED and I has the same root, for each LM-OTS type",
          arguments: LMOTSType.allCases)
    func rebuildFromSeed(type: LMOTSType) throws {
        let seed = try LMS.Seed.random()
        let parameters = LMS.Parameters(.sha256M32H5, type)
        let original = try LMS.PrivateKey.generate(parameters: parameters, keys: .seed(seed))
        let rebuilt = try LMS.PrivateKey(parameters: parameters, identifier: original.identifier, seed: seed)
        #expect(rebuilt.publicKey == original.publicKey)
        let other = try LMS.PrivateKey(parameters: parameters, identifier: original.identifier, seed: LMS.Seed.random())
        #expect(other.publicKey.root != original.publicKey.root)
    }

    @Test("Messages are taken from any collection of bytes")
    func messageCollections() throws {
        let key = try HSS.PrivateKey.generate(levels: [.h5w8])
        let bytes = Array("contiguous or not".utf8)
        let signature = try key.sign(bytes[2...])
        #expect(key.publicKey.verify(signature, for: bytes.dropFirst(2)) == .valid)
        #expect(key.publicKey.verify(signature, for: AnyCollection(bytes[2...])) == .valid)
    }

    @Test("Subtrees recomputed on demand give the same signatures as a stored tree (H10)")
    func storedFloorH10() throws {
        // H10 with floor 2: the build works in subtrees of height 4 above the floor of 2, the
        // arrangement that large trees (H20, H25) use.
        let seed = try LMS.Seed.random()
        let identifier = [UInt8](repeating: 9, count: 16)
        let parameters = LMS.Parameters(.sha256M32H10, .sha256N32W2)
        let stored = try LMS.PrivateKey(parameters: parameters, identifier: identifier, material: .seed(seed),
                                        leafRange: nil, nextLeafIndex: nil, storedFloor: 0)
        let partial = try LMS.PrivateKey(parameters: parameters, identifier: identifier, material: .seed(seed),
                                         leafRange: nil, nextLeafIndex: nil, storedFloor: 2)
        #expect(partial.publicKey == stored.publicKey)
        for q in [UInt32(0), 3, 4, 511, 512, 1023] {
            let randomizer = [UInt8](repeating: 1, count: 32)
            #expect(partial.signature(leaf: q, randomizer: randomizer, message: [2])
                == stored.signature(leaf: q, randomizer: randomizer, message: [2]))
        }
    }

    @Test("A bottom-tree subtree recomputed on demand gives the same signatures as a stored tree")
    func storedFloor() throws {
        let seed = try LMS.Seed.random()
        let identifier = [UInt8](repeating: 7, count: 16)
        func key(floor: Int) throws -> LMS.PrivateKey {
            try LMS.PrivateKey(parameters: .h5w4, identifier: identifier, material: .seed(seed),
                               leafRange: nil, nextLeafIndex: nil, storedFloor: floor)
        }
        let stored = try key(floor: 0)
        for floor in 1...5 {
            let partial = try key(floor: floor)
            #expect(partial.publicKey == stored.publicKey)
            #expect(partial.tree.nodes.count == 32 << (5 - floor + 1))
            for q in [UInt32(0), 1, 2, 5, 17, 31, 3] {
                let randomizer = [UInt8](repeating: UInt8(q), count: 32)
                let expected = stored.signature(leaf: q, randomizer: randomizer, message: [1])
                #expect(partial.signature(leaf: q, randomizer: randomizer, message: [1]) == expected)
            }
        }
    }
}
