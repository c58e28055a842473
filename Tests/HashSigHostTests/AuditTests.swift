import HashSig
import Testing
@testable import HashSigHost

@Suite("Signature audit")
struct AuditTests {
    /// Boards A [0, 16), B [16, 24), C [24, 32) of an H5 key; D's [8, 12) is outside the map.
    let shares: SoftwareShares
    let map: ShareMap

    init() throws {
        shares = try SoftwareShares()
        map = ShareMap(entries: [(leaves(0, 16), .board(board("A"))), (leaves(16, 24), .board(board("B"))),
                                 (leaves(24, 28), .board(board("C"))), (leaves(28, 32), .burned(transfer: "T9"))])
    }

    @Test("Valid signatures from their own shares are clean and tallied per board")
    func clean() async throws {
        var auditor = SignatureAuditor(publicKey: shares.publicKey, shares: map)
        let a = try shares.share(leaves(0, 16))
        let b = try shares.share(leaves(16, 24))
        for i in 0..<20 {
            let message = Array("message \(i)".utf8)
            let (key, name) = i % 2 == 0 ? (a, "A") : (b, "B")
            try await auditor.audit(.init(name: "sig\(i)", message: message, signature: try key.sign(message).bytes, board: board(name)))
        }
        #expect(auditor.isClean)
        #expect(auditor.findings.isEmpty)
        #expect(auditor.valid == 20)
        #expect(auditor.tallies[board("A")]?.signatures == 10)
        #expect(auditor.tallies[board("B")]?.lowestIndex == 16)
    }

    @Test("A one-time key used twice (a restored state) is found at the level where it happened")
    func reuse() async throws {
        let key = try shares.share(leaves(0, 16))
        let saved = key.serializedRepresentation
        let first = try key.sign(Array("one".utf8))
        let restored = try HSS.PrivateKey(serializedRepresentation: saved)
        let second = try restored.sign(Array("two".utf8))
        #expect(first.leafIndices == second.leafIndices)
        var auditor = SignatureAuditor(publicKey: shares.publicKey, shares: map)
        try await auditor.audit(.init(name: "first", message: Array("one".utf8), signature: first.bytes))
        try await auditor.audit(.init(name: "second", message: Array("two".utf8), signature: second.bytes))
        #expect(auditor.findings.map(\.kind) == ["one-time-key-reused"])
        guard case .oneTimeKeyReused(_, let firstItem, let level, _, let q)? = auditor.findings.first else { return }
        #expect((firstItem, level, q) == ("first", 1, second.leafIndices[1]))
        #expect(!auditor.isClean)
    }

    @Test("The same signature twice is a duplicate record, not a reuse")
    func repeated() async throws {
        let key = try shares.share(leaves(0, 16))
        let signature = try key.sign([1]).bytes
        var auditor = SignatureAuditor(publicKey: shares.publicKey, shares: map)
        try await auditor.audit(.init(name: "a", message: [1], signature: signature))
        try await auditor.audit(.init(name: "b", message: [1], signature: signature))
        #expect(auditor.findings == [.repeatedSignature(item: "b", first: "a")])
        #expect(auditor.isClean)
    }

    @Test("A board signing in another board's share is flagged")
    func outsideOwnShare() async throws {
        let b = try shares.share(leaves(16, 24))
        var auditor = SignatureAuditor(publicKey: shares.publicKey, shares: map)
        try await auditor.audit(.init(name: "s", message: [2], signature: try b.sign([2]).bytes, board: board("A")))
        #expect(auditor.findings == [.signedOutsideOwnShare(item: "s", signer: board("A"), q: 16, owner: board("B"))])
    }

    @Test("An index outside every share, or in a burned range, is flagged")
    func outsideEveryShare() async throws {
        let smallMap = ShareMap(entries: [(leaves(0, 8), .board(board("A")))])
        let rogue = try shares.share(leaves(20, 32))
        var auditor = SignatureAuditor(publicKey: shares.publicKey, shares: smallMap)
        try await auditor.audit(.init(name: "r", message: [3], signature: try rogue.sign([3]).bytes))
        #expect(auditor.findings == [.outsideEveryShare(item: "r", q: 20)])
        let burnedShare = try shares.share(leaves(28, 32))
        var second = SignatureAuditor(publicKey: shares.publicKey, shares: map)
        try await second.audit(.init(name: "x", message: [4], signature: try burnedShare.sign([4]).bytes))
        #expect(second.findings == [.unheldRange(item: "x", q: 28, owner: .burned(transfer: "T9"))])
    }

    @Test("Invalid and malformed signatures are flagged, not thrown")
    func invalid() async throws {
        let key = try shares.share(leaves(0, 16))
        var bytes = try key.sign([5]).bytes
        var auditor = SignatureAuditor(publicKey: shares.publicKey, shares: map)
        try await auditor.audit(.init(name: "wrong-message", message: [6], signature: bytes))
        bytes.removeLast()
        try await auditor.audit(.init(name: "short", message: [5], signature: bytes))
        #expect(auditor.findings.map(\.kind) == ["invalid", "malformed"])
        #expect(auditor.valid == 0)
    }

    @Test("With L = 1 every top-level index is a one-time key over the message")
    func singleLevel() async throws {
        let single = try SoftwareShares(levels: 1)
        let key = try single.share(leaves(0, 32))
        let saved = key.serializedRepresentation
        let one = try key.sign([1])
        let two = try HSS.PrivateKey(serializedRepresentation: saved).sign([2])
        var auditor = SignatureAuditor(publicKey: single.publicKey, shares: ShareMap(entries: [(leaves(0, 32), .board(board("A")))]))
        try await auditor.audit(.init(name: "1", message: [1], signature: one.bytes))
        try await auditor.audit(.init(name: "2", message: [2], signature: two.bytes))
        #expect(auditor.findings.map(\.kind) == ["one-time-key-reused"])
    }

    @Test("The share map of a ledger: holdings, in-transit and burned ranges")
    func mapFromLedger() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .verified)
        try await fixture.transfer("T2", to: "C", leaves(700, 768), upTo: .exported)
        try await fixture.transfer("T3", to: "D", leaves(600, 700), upTo: .planned)
        let map = ShareMap(state: try fixture.ledger.state(of: fixture.key))
        #expect(map.owner(of: 0) == .board(board("A")))
        #expect(map.owner(of: 599) == .board(board("A")))
        #expect(map.owner(of: 600) == .inTransit(transfer: "T3"))
        #expect(map.owner(of: 767) == .inTransit(transfer: "T2"))
        #expect(map.owner(of: 768) == .board(board("B")))
        #expect(map.owner(of: 1024) == nil)
        #expect(map.range(of: board("B")) == leaves(768, 1024))
    }
}
