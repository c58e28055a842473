import Testing
@testable import HashSig

@Suite("Signing state: exhaustion, lower-tree regeneration, persistence")
struct SigningStateTests {
    @Test("An LMS key signs each leaf of its range once, then is exhausted")
    func lmsExhaustion() throws {
        let key = try LMS.PrivateKey.generate(parameters: .h5w4, leafRange: 29..<32)
        #expect(key.nextLeafIndex == 29)
        #expect(key.remainingLeaves == 3)
        var used: [UInt32] = []
        for _ in 0..<3 {
            let signature = try key.sign([9])
            used.append(signature.leafIndex)
            #expect(key.publicKey.verify(signature, for: [9]) == .valid)
        }
        #expect(used == [29, 30, 31])
        #expect(key.isExhausted)
        #expect(throws: HashSigError.keyExhausted) { try key.sign([9]) }
        #expect(key.nextLeafIndex == 32)
    }

    @Test("An HSS key replaces its bottom tree when it runs out, signed by the top")
    func regeneration() throws {
        // Top range of 2 leaves: one signs the first bottom tree, one its replacement.
        let key = try HSS.PrivateKey.generate(levels: [.h5w4, .h5w4], topLeafRange: 0..<2)
        let firstBottom = try key.sign([0]).signedPublicKeys[0].publicKey
        var seen = Set<[UInt32]>()
        var bottoms = Set<[UInt8]>()
        for index in 1..<64 {
            let message = [UInt8(index)]
            let signature = try key.sign(message)
            #expect(key.publicKey.verify(signature, for: message) == .valid)
            #expect(seen.insert(signature.leafIndices + [UInt32(bottoms.count)]).inserted)
            bottoms.insert(signature.signedPublicKeys[0].publicKey.identifier)
            if index == 32 {
                #expect(signature.leafIndices == [1, 0])
                #expect(signature.signedPublicKeys[0].publicKey != firstBottom)
            }
        }
        #expect(bottoms.count == 2)
        #expect(key.signingState.nextLeafIndices == [2, 32])
        #expect(key.isExhausted)
        let before = key.signingState
        #expect(throws: HashSigError.keyExhausted) { try key.sign([0]) }
        #expect(key.signingState == before)
    }

    @Test("Three levels: a middle tree runs out and is replaced along with the bottom")
    func middleRegeneration() throws {
        let top = try LMS.PrivateKey.generate(parameters: .h5w4, leafRange: 0..<3)
        let key = try HSS.PrivateKey(topTree: top, lowerLevels: [.h5w4, .h5w4])
        #expect(key.signingState.nextLeafIndices == [1, 1, 0])
        // Move the middle and bottom trees to their last leaves.
        try key.trees[1].advance(toLeafIndex: 31)
        try key.trees[2].advance(toLeafIndex: 31)
        let last = try key.sign([1])
        #expect(last.leafIndices == [0, 0, 31])
        let next = try key.sign([2])
        #expect(next.leafIndices == [0, 31, 0])
        try key.trees[2].advance(toLeafIndex: 32)
        let afterMiddle = try key.sign([3])
        #expect(afterMiddle.leafIndices == [1, 0, 0])
        #expect(key.publicKey.verify(afterMiddle, for: [3]) == .valid)
        #expect(key.signingState.nextLeafIndices == [2, 1, 1])
    }

    @Test("Restart: fresh lower trees over the same top tree consume one top leaf")
    func restart() throws {
        let seed = try LMS.Seed.random()
        let key = try HSS.PrivateKey.generate(levels: [.h5w4, .h5w4], topKeys: .seed(seed))
        _ = try key.sign([1])
        let savedTop = key.signingState.topLeafIndex
        #expect(savedTop == 1)
        let top = try LMS.PrivateKey(parameters: .h5w4, identifier: key.topTree.identifier, seed: seed,
                                     nextLeafIndex: savedTop)
        let restarted = try HSS.PrivateKey(topTree: top, lowerLevels: [.h5w4])
        #expect(restarted.publicKey == key.publicKey)
        #expect(restarted.signingState.nextLeafIndices == [2, 0])
        let signature = try restarted.sign([2])
        #expect(signature.topLeafIndex == 1)
        #expect(key.publicKey.verify(signature, for: [2]) == .valid)
    }

    @Test("A key reloaded from its last persisted state never re-issues a leaf")
    func persistence() throws {
        let key = try HSS.PrivateKey.generate(levels: [.h5w4, .h5w4], topKeys: .seed(LMS.Seed.random()),
                                              topLeafRange: 0..<4)
        // Each one-time key (tree I, leaf q) may appear in many signatures, but only ever over
        // one message: a lower tree's public key is repeated in every signature it makes.
        var issued: [LeafUse: [UInt8]] = [:]
        var persisted = key.serializedRepresentation
        var current = key
        for round in 0..<5 {
            for index in 0..<15 {
                let message = [UInt8(round), UInt8(index)]
                let signature = try current.sign(message)
                // Persist before release, as a signer must.
                persisted = current.serializedRepresentation
                #expect(current.publicKey.verify(signature, for: message) == .valid)
                for (use, signed) in LeafUse.all(in: signature, message: message) {
                    #expect(issued[use, default: signed] == signed, "one-time key re-used: \(use)")
                    issued[use] = signed
                }
            }
            // A crash after persisting but before releasing: that signature is lost, not reused.
            _ = try current.sign([0xFF])
            persisted = current.serializedRepresentation
            current = try HSS.PrivateKey(serializedRepresentation: persisted)
            #expect(current.publicKey == key.publicKey)
            #expect(current.signingState == HSS.PrivateKey(unchecked: persisted).signingState)
        }
        #expect(current.signingState.nextLeafIndices == [3, 16])
    }

    /// One use of a one-time key: the tree (by I) and the leaf.
    struct LeafUse: Hashable, CustomStringConvertible {
        let identifier: [UInt8]
        let leaf: UInt32
        var description: String { "\(identifier.hexString)/\(leaf)" }

        /// Every one-time key a signature used, with what it signed.
        static func all(in signature: HSS.Signature, message: [UInt8]) -> [(LeafUse, [UInt8])] {
            // The signature names the trees below the top; the top tree is the same throughout.
            var uses: [(LeafUse, [UInt8])] = []
            var identifier: [UInt8] = []
            for signed in signature.signedPublicKeys {
                uses.append((LeafUse(identifier: identifier, leaf: signed.signature.leafIndex), signed.publicKey.bytes))
                identifier = signed.publicKey.identifier
            }
            uses.append((LeafUse(identifier: identifier, leaf: signature.messageSignature.leafIndex), message))
            return uses
        }
    }

    @Test("Concurrent signers on one key never share a leaf")
    func concurrentSigning() async throws {
        let key = try HSS.PrivateKey.generate(levels: [.h5w4, .h5w4])
        let signatures = try await withThrowingTaskGroup(of: HSS.Signature.self) { group in
            for index in 0..<40 {
                group.addTask { try key.sign([UInt8(index)]) }
            }
            return try await group.reduce(into: [HSS.Signature]()) { $0.append($1) }
        }
        let uses = Set(signatures.map {
            $0.signedPublicKeys[0].publicKey.identifier + [UInt8($0.messageSignature.leafIndex)]
        })
        #expect(uses.count == 40)
        #expect(key.signingState.nextLeafIndices == [2, 8])
    }

    @Test("Signing states round-trip and are validated")
    func stateEncoding() throws {
        let state = HSS.SigningState(nextLeafIndices: [5, 17, 0], topLeafRange: 4..<512)
        #expect(try HSS.SigningState(bytes: state.bytes) == state)
        #expect(state.bytes.count == 24)
        #expect(throws: HashSigError.trailingBytes(.signingState, count: 1)) {
            try HSS.SigningState(bytes: state.bytes + [0])
        }
        #expect(throws: HashSigError.levelCountOutOfRange(0)) {
            try HSS.SigningState(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        }
        let outside = HSS.SigningState(nextLeafIndices: [3], topLeafRange: 4..<512)
        #expect(throws: HashSigError.invalidLeafRange(start: 4, end: 512, next: 3)) {
            try HSS.SigningState(bytes: outside.bytes)
        }
    }

    @Test("Private key encodings round-trip for random and seeded keys and reject damage")
    func privateKeyEncoding() throws {
        let random = try LMS.PrivateKey.generate(parameters: .h5w8, keys: .random, leafRange: 3..<20)
        _ = try random.sign([1])
        let reloaded = try LMS.PrivateKey(serializedRepresentation: random.serializedRepresentation)
        #expect(reloaded.publicKey == random.publicKey)
        #expect(reloaded.leafRange == 3..<20)
        #expect(reloaded.nextLeafIndex == 4)
        #expect(reloaded.seed == nil)
        var encoded = random.serializedRepresentation
        #expect(throws: HashSigError.trailingBytes(.lmsPrivateKey, count: 1)) {
            try LMS.PrivateKey(serializedRepresentation: encoded + [0])
        }
        encoded[0] = UInt8(ascii: "X")
        #expect(throws: HashSigError.self) { try LMS.PrivateKey(serializedRepresentation: encoded) }

        let hss = try HSS.PrivateKey.generate(levels: [.h5w4, .h5w8])
        var damaged = hss.serializedRepresentation
        damaged[damaged.count - 1] ^= 1  // the stored signature over the bottom key
        #expect(throws: HashSigError.publicKeyMismatch) { try HSS.PrivateKey(serializedRepresentation: damaged) }
    }

    @Test("Persisted indices can only move forward")
    func advance() throws {
        let key = try LMS.PrivateKey.generate(parameters: .h5w4, leafRange: 0..<10)
        try key.advance(toLeafIndex: 4)
        #expect(throws: HashSigError.invalidLeafRange(start: 0, end: 10, next: 3)) { try key.advance(toLeafIndex: 3) }
        #expect(throws: HashSigError.invalidLeafRange(start: 0, end: 10, next: 11)) { try key.advance(toLeafIndex: 11) }
        try key.advance(toLeafIndex: 10)
        #expect(key.isExhausted)
    }
}

extension HSS.PrivateKey {
    /// Reloads without failing, for comparing states in tests.
    convenience init(unchecked bytes: [UInt8]) {
        try! self.init(serializedRepresentation: bytes)
    }
}
