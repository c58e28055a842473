import Foundation
import HalRPC
import HashSig
import Testing
@testable import HashSigHost

/// A software share (a real HSS key restricted to its range) that can be told to fail the way
/// boards fail. Unit tests of the pool's choices only; the integration tests use real boards.
final class ScriptedSigner: ShareSigner, @unchecked Sendable {
    let board: BoardName
    let key: HSS.PrivateKey
    private let lock = NSLock()
    private var failures: [SignAttemptError] = []
    private var corrupt = false
    private(set) var calls = 0

    init(_ name: String, _ key: HSS.PrivateKey) {
        board = try! BoardName(name)
        self.key = key
    }

    func failNext(_ failure: SignAttemptError) { lock.withLock { failures.append(failure) } }
    func corruptNext() { lock.withLock { corrupt = true } }

    func sign(_ message: [UInt8]) async throws(SignAttemptError) -> [UInt8] {
        let (failure, corrupting): (SignAttemptError?, Bool) = lock.withLock {
            calls += 1
            defer { corrupt = false }
            return (failures.isEmpty ? nil : failures.removeFirst(), corrupt)
        }
        if let failure { throw failure }
        guard var bytes = try? key.sign(message).bytes else { throw .exhausted }
        if corrupting { bytes[bytes.count - 1] ^= 1 }
        return bytes
    }

    func report() async throws(SignAttemptError) -> BoardReport? {
        let state = key.signingState
        return BoardReport(next: state.topLeafIndex, range: LeafRange(state.topLeafRange))
    }
}

@Suite("Signer pool")
struct SignerPoolTests {
    let shares: SoftwareShares
    let map: ShareMap
    let a: ScriptedSigner
    let b: ScriptedSigner
    let directory: TemporaryDirectory

    init() throws {
        shares = try SoftwareShares()
        map = ShareMap(entries: [(leaves(0, 8), .board(board("A"))), (leaves(8, 32), .board(board("B")))])
        a = ScriptedSigner("A", try shares.share(leaves(0, 8)))
        b = ScriptedSigner("B", try shares.share(leaves(8, 32)))
        directory = try TemporaryDirectory()
    }

    func pool(_ selection: SignerPool.Selection = .mostRemaining, journal: SignatureJournal? = nil) async -> SignerPool {
        var options = SignerPool.Options()
        options.selection = selection
        let pool = SignerPool(publicKey: shares.publicKey, signers: [a, b], shares: map, journal: journal, options: options)
        await pool.refresh()
        return pool
    }

    @Test("The board with most leaves left signs; signatures verify and carry their index")
    func mostRemaining() async throws {
        defer { directory.cleanup() }
        let pool = await pool()
        let signed = try await pool.sign([1])
        #expect(signed.board == board("B"))
        #expect(shares.publicKey.isValidSignature(signed.signature, for: [1]))
        #expect(signed.topLeafIndex == 8)
    }

    @Test("A stated priority order is followed")
    func priority() async throws {
        defer { directory.cleanup() }
        let pool = await pool(.priority([board("A"), board("B")]))
        #expect(try await pool.sign([1]).board == board("A"))
    }

    @Test("Exhausted, busy and unreachable boards are passed over, and say why")
    func failover() async throws {
        defer { directory.cleanup() }
        let pool = await pool(.priority([board("A"), board("B")]))
        a.failNext(.exhausted)
        let first = try await pool.sign([1])
        #expect(first.board == board("B"))
        #expect(first.skipped == [board("A"): .exhausted])
        #expect(await pool.members[board("A")]?.status == .exhausted)
        b.failNext(.unreachable("gone"))
        await #expect(throws: SignerPoolError.self) { try await pool.sign([2]) }
        #expect(await pool.members[board("B")]?.status == .unreachable("gone"))
        // Unreachable boards are tried again when nothing else is left.
        #expect(try await pool.sign([3]).board == board("B"))
    }

    @Test("A sign that may have reached the board is reported and recorded, never re-sent")
    func indeterminate() async throws {
        defer { directory.cleanup() }
        let journal = SignatureJournal(path: directory.file("signatures.jsonl"), clock: testClock)
        let pool = await pool(.priority([board("A"), board("B")]), journal: journal)
        a.failNext(.indeterminate("timed out"))
        await #expect(throws: SignerPoolError.indeterminate(board: board("A"), detail: "timed out")) { try await pool.sign([1]) }
        #expect(a.calls == 1)
        #expect(b.calls == 0)
        // The caller's new request goes to another board; A stays out until a refresh.
        #expect(try await pool.sign([1]).board == board("B"))
        #expect(a.calls == 1)
        await pool.refresh()
        #expect(try await pool.sign([2]).board == board("A"))
        let entries = try SignatureJournal.read(path: journal.path)
        #expect(entries.entries.map(\.kind) == [.indeterminate, .signature, .signature])
        let (items, notes) = SignatureJournal.auditItems(entries, path: journal.path)
        #expect(notes.map(\.kind) == ["indeterminate-sign"])
        var auditor = SignatureAuditor(publicKey: shares.publicKey, shares: map)
        for item in items { try await auditor.audit(item) }
        #expect(auditor.isClean)
        #expect(auditor.valid == 2)
    }

    @Test("A damaged sign reply is an indeterminate attempt (it may have used a leaf), never the board's refusal")
    func damagedReplyIsIndeterminate() {
        let damaged = HSMClientError.damagedReply(function: .pkeySign, reason: "status 524288 is no HAL status")
        #expect(BoardSigner.classify(damaged) == .indeterminate("\(damaged)"))
        #expect(BoardSigner.classify(HSMClientError.device(.keyNotFound)) == .failed("\(HALError.keyNotFound)"))
    }

    @Test("A signature that does not verify is withheld and its board suspended")
    func invalid() async throws {
        defer { directory.cleanup() }
        let pool = await pool(.priority([board("A"), board("B")]))
        a.corruptNext()
        await #expect(throws: SignerPoolError.self) { try await pool.sign([1]) }
        guard case .suspended? = await pool.members[board("A")]?.status else {
            Issue.record("A not suspended")
            return
        }
        #expect(try await pool.sign([1]).board == board("B"))
    }

    @Test("A board signing outside its share is refused")
    func outsideShare() async throws {
        defer { directory.cleanup() }
        let rogue = ScriptedSigner("A", try shares.share(leaves(20, 32)))
        let pool = SignerPool(publicKey: shares.publicKey, signers: [rogue], shares: map)
        await #expect(throws: SignerPoolError.outsideShare(board: board("A"), q: 20, share: leaves(0, 8))) {
            try await pool.sign([1])
        }
    }

    @Test("Refreshing reconciles each board with the ledger: an index that went backwards suspends the board")
    func reconciles() async throws {
        defer { directory.cleanup() }
        let ledger = try await ShareLedger(path: directory.file("shares.jsonl"), clock: testClock)
        let identity = shares.identity
        try await ledger.append([
            .keyRegistered(KeyRegistration(publicKey: shares.publicKey, board: board("A"), keyName: "a", range: leaves(0, 32), next: 1)),
            .planned(TransferPlanned(transfer: "T1", plan: "P1", request: "", source: board("A"), destination: board("B"),
                                     range: leaves(8, 32), method: .sx1)),
            .exported(TransferExported(transfer: "T1", blobDigest: .zero, share: leaves(8, 32), reportedByBoard: true)),
            .imported(TransferImported(transfer: "T1", keyName: "b", blobDigest: .zero)),
            // B was seen further on than it now reports: a restored backup.
            .observed(BoardObservation(board: board("B"), range: leaves(8, 32), next: 20)),
        ], key: identity)
        let pool = SignerPool(publicKey: shares.publicKey, signers: [a, b], shares: ShareMap(state: try ledger.state(of: identity)),
                              ledger: (ledger, identity))
        await pool.refresh()
        guard case .suspended(let why)? = await pool.members[board("B")]?.status else {
            Issue.record("B not suspended")
            return
        }
        #expect(why.contains("went backwards"))
        #expect(await pool.members[board("A")]?.status == .available)
        #expect(try await pool.sign([1]).board == board("A"))
        let state = try ledger.state(of: identity)
        #expect(state.alarms.map(\.kind) == ["index-went-backwards"])
        #expect(state.holdings[board("A")]?.nextReported == true)
    }

    @Test("When every board is used up the pool says so, board by board")
    func exhausted() async throws {
        defer { directory.cleanup() }
        let small = ScriptedSigner("A", try shares.share(leaves(0, 2)))
        let pool = SignerPool(publicKey: shares.publicKey, signers: [small], shares: map)
        await pool.refresh()
        var signed = 0
        while true {
            do {
                _ = try await pool.sign(Array("m\(signed)".utf8))
                signed += 1
            } catch SignerPoolError.noSignerAvailable(let reasons) {
                #expect(reasons[board("A")] == "no one-time keys left")
                break
            }
        }
        // Leaf 0 signs the level-1 tree at generation; leaf 1 the next one: 2 × 32 signatures.
        #expect(signed == 64)
    }
}
