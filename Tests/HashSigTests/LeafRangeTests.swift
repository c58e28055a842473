import Testing
@testable import HashSig

@Suite("Top-tree leaf ranges (shares)")
struct LeafRangeTests {
    @Test("Reference bisection: mid = (q + e) / 2", arguments: [
        (UInt32(0), UInt32(1024), UInt32(512)), (10, 21, 15), (0, 2, 1), (1000, 1024, 1012),
    ])
    func bisection(q: UInt32, end: UInt32, mid: UInt32) throws {
        let split = try HSS.LeafRangeSplit.bisecting(next: q, end: end)
        #expect(split.kept == q..<mid)
        #expect(split.share == mid..<end)
    }

    @Test("Bisection with fewer than two leaves left is exhausted", arguments: [(UInt32(5), UInt32(6)), (6, 6)])
    func bisectionExhausted(q: UInt32, end: UInt32) {
        #expect(throws: HashSigError.keyExhausted) { try HSS.LeafRangeSplit.bisecting(next: q, end: end) }
    }

    @Test("SX1: the share is the top count leaves")
    func topLeaves() throws {
        let split = try HSS.LeafRangeSplit.topLeaves(256, next: 3, end: 1024)
        #expect(split.kept == 3..<768)
        #expect(split.share == 768..<1024)
        let all = try HSS.LeafRangeSplit.topLeaves(1021, next: 3, end: 1024)
        #expect(all.kept.isEmpty)
        #expect(throws: HashSigError.keyExhausted) { try HSS.LeafRangeSplit.topLeaves(1022, next: 3, end: 1024) }
        #expect(throws: HashSigError.invalidLeafRange(start: 3, end: 1024, next: 3)) {
            try HSS.LeafRangeSplit.topLeaves(0, next: 3, end: 1024)
        }
    }

    @Test("A share rebuilt from (types, I, SEED, range) reaches the same root and signs only inside its range")
    func shareImport() throws {
        let seed = try LMS.Seed.random()
        let source = try HSS.PrivateKey.generate(levels: [.h5w4, .h5w4], topKeys: .seed(seed))
        let top = source.topTree
        let split = try HSS.LeafRangeSplit.topLeaves(8, next: top.nextLeafIndex, end: top.leafRange.upperBound)
        try top.narrowLeafRange(toEnd: split.kept.upperBound)
        #expect(source.signingState.topLeafRange == 0..<24)

        let importedTop = try LMS.PrivateKey(parameters: top.parameters, identifier: top.identifier, seed: seed,
                                             leafRange: split.share)
        #expect(importedTop.publicKey == top.publicKey)
        #expect(importedTop.nextLeafIndex == 24)
        let imported = try HSS.PrivateKey(topTree: importedTop, lowerLevels: [.h5w4])
        #expect(imported.publicKey == source.publicKey)
        let signature = try imported.sign([42])
        #expect(split.share.contains(signature.topLeafIndex))
        #expect(source.publicKey.verify(signature, for: [42]) == .valid)

        // A wrong SEED rebuilds a different root: the importer detects it.
        let wrong = try LMS.PrivateKey(parameters: top.parameters, identifier: top.identifier,
                                       seed: LMS.Seed.random(), leafRange: split.share)
        #expect(wrong.publicKey != top.publicKey)
    }

    @Test("Ranges can only shrink, never below the next leaf")
    func narrowing() throws {
        let key = try LMS.PrivateKey.generate(parameters: .h5w4, leafRange: 4..<20)
        _ = try key.sign([1])
        #expect(throws: HashSigError.invalidLeafRange(start: 4, end: 21, next: 5)) {
            try key.narrowLeafRange(toEnd: 21)
        }
        #expect(throws: HashSigError.invalidLeafRange(start: 4, end: 4, next: 5)) { try key.narrowLeafRange(toEnd: 4) }
        try key.narrowLeafRange(toEnd: 6)
        _ = try key.sign([2])
        #expect(throws: HashSigError.keyExhausted) { try key.sign([3]) }
    }

    @Test("Ranges past 2^h and next indices outside the range are refused")
    func invalidRanges() throws {
        let seed = try LMS.Seed.random()
        let identifier = [UInt8](repeating: 1, count: 16)
        #expect(throws: HashSigError.invalidLeafRange(start: 0, end: 33, next: 0)) {
            try LMS.PrivateKey(parameters: .h5w4, identifier: identifier, seed: seed, leafRange: 0..<33)
        }
        #expect(throws: HashSigError.invalidLeafRange(start: 4, end: 8, next: 9)) {
            try LMS.PrivateKey(parameters: .h5w4, identifier: identifier, seed: seed, leafRange: 4..<8,
                               nextLeafIndex: 9)
        }
        #expect(throws: HashSigError.invalidLength(.identifier, expected: 16, actual: 3)) {
            try LMS.PrivateKey(parameters: .h5w4, identifier: [1, 2, 3], seed: seed)
        }
        #expect(throws: HashSigError.keyExhausted) {
            try HSS.PrivateKey.generate(levels: [.h5w4, .h5w4], topLeafRange: 7..<7)
        }
        #expect(throws: HashSigError.levelCountOutOfRange(9)) {
            try HSS.PrivateKey.generate(levels: Array(repeating: .h5w4, count: 9))
        }
    }
}
