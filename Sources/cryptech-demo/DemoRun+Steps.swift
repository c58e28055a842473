import Foundation
import HalRPC
import HashSig
import HashSigHost

/// The demo's steps, each a plain use of the libraries as a host program of its own would
/// make it.
extension DemoRun {
    /// 1. An exportable hashsig key on the first board, as `cryptech hashsig keygen` makes
    ///    it, recorded in a new ledger with the range the board reports (SX1 attributes).
    func generateAndRegister(on source: BoardLink, timings: inout DemoReport.Timings) async throws -> (ShareLedger, KeyIdentity) {
        // The ledger must take the key before the board makes it (as `cryptech hashsig keygen`).
        let ledger = try await openLedger()
        // A second key would make every later `cryptech share` command ask which key.
        guard ledger.keys.isEmpty else { throw DemoError("\(ledger.path) holds a key already: give a new ledger") }
        say("generating an exportable hashsig key on board \(source.name): L=2, \(settings.lms == .sha256N32H5 ? "H5" : "H10")/W4 at both levels")
        let started = clock.now
        let generated = try await source.client.generateHashsigKey(
            levels: 2, lmsType: settings.lms, lmotsType: .sha256N32W4, flags: [.digitalSignature, .token, .exportable])
        guard let keyName = generated.name else { throw DemoError("board \(source.name) gave the new key no name") }
        let sourceKey = BoardHashsigKey(link: source, key: generated, name: keyName,
                                        publicKey: try HSS.PublicKey(boardDER: try await generated.publicKey()))
        timings.keygen = clock.now - started
        let key = KeyIdentity(sourceKey.publicKey)
        try Data(sourceKey.publicKey.bytes).write(to: URL(fileURLWithPath: publicKeyPath))

        let registration = try await ledger.register(sourceKey, .generatedJustNow, label: "cryptech-demo",
                                                     probeMessage: Array("cryptech-demo probe".utf8)).registration
        // On the stock firmware the key made just now holds its whole top tree, and a probe
        // signature tells its next index.
        if let probe = registration.probeIndex {
            say("board \(source.name) has no SX1 (stock firmware): its key holds the whole top tree, next index from a probe signature (q=\(probe))")
        }
        say("key \(key) registered in \(ledgerPath): board \(source.name) holds \(registration.range), next index \(registration.next)")
        return (ledger, key)
    }

    /// 2. Exact shares planned and exported, every step of every transfer in the ledger. A
    ///    source without SX1 can only halve: the plan bisection reaches is shown beside the
    ///    request and carried out (accepted, as `cryptech share export --accept-reachable`).
    /// - Returns: the destinations on which the export made a key-encryption key (removed at
    ///   the end with the demo's keys), and what each board asked for.
    func exportShares(ledger: ShareLedger, key: KeyIdentity, links: [BoardLink],
                      timings: inout DemoReport.Timings) async throws -> (madeKEKEKs: Set<BoardName>, method: String) {
        let source = links[0].name
        let request = ShareRequest.exact(settings.shares)
        let state = try ledger.state(of: key)
        let method: String
        if state.holdings[source]?.reportsRange == false, let holding = state.holdings[source] {
            let plan = try BisectionPlanner.plan(source: try ShareSource(board: source, range: holding.range, next: holding.next),
                                                 request: request, levels: state.publicKey.levels)
            say("plan \(request) by bisection (no SX1): " + plan.allocations.map {
                "\($0.board) \($0.range) (asked \($0.requested.map(String.init) ?? "the rest"))"
            }.joined(separator: ", ") + (plan.isExact ? ", exact" : ", the closest halving reaches"))
            say("exports: " + plan.steps.map { "\($0.source) -> \($0.destination) \($0.range)" }.joined(separator: ", then "))
            method = plan.isExact ? "bisection (stock firmware), exactly as asked" : "bisection (stock firmware): the reachable plan, accepted"
        } else {
            let plan = try SharePlanner.plan(request, from: source, key: key, in: ledger)
            say("plan \(request): " + plan.allocations.map { "\($0.board) \($0.range)" }.joined(separator: ", "))
            method = "SX1, exactly as asked"
        }
        var hadKEKEK: Set<BoardName> = []
        for link in links.dropFirst() where try await Self.kekek(on: link.client) != nil { hadKEKEK.insert(link.name) }

        let started = clock.now
        var options = ShareExporter.Options()
        options.acceptReachable = true
        let outcomes = try await ShareExporter(ledger: ledger, key: key, boards: links, options: options).export(request, from: source)
        timings.export = clock.now - started
        for outcome in outcomes {
            say("transfer \(outcome.transfer): \(outcome.source) -> \(outcome.destination) \(outcome.range), \(outcome.state)"
                + (outcome.testSignatureIndex.map { ", test signature at q=\($0)" } ?? ""))
            guard outcome.state == .verified else { throw DemoError("transfer \(outcome.transfer) ended \(outcome.state)") }
        }
        return (Set(links.dropFirst().map(\.name)).subtracting(hadKEKEK), method)
    }

    /// Every board's share, open for signing.
    func openSigners(state: KeyLedgerState, links: [BoardLink]) async throws -> [BoardSigner] {
        var signers: [BoardSigner] = []
        for link in links {
            guard let holding = state.holdings[link.name], let name = KeyName(uuidString: holding.keyName) else {
                throw DemoError("the ledger gives board \(link.name) no share")
            }
            signers.append(BoardSigner(key: try await BoardHashsigKey.open(name, on: link)))
        }
        return signers
    }

    /// 3. The messages signed by one worker per board, each with a pool that prefers its board
    ///    and fails over to the others; every signature verified on the host and journaled.
    func signThroughPools(_ signers: [BoardSigner], state: KeyLedgerState, ledger: ShareLedger, key: KeyIdentity,
                          timings: inout DemoReport.Timings) async throws -> [(message: [UInt8], signature: PoolSignature)] {
        let journal = SignatureJournal(path: journalPath)
        var pools: [SignerPool] = []
        for signer in signers {
            var options = SignerPool.Options()
            options.selection = .priority([signer.board])
            let pool = SignerPool(publicKey: state.publicKey, signers: signers, shares: ShareMap(state: state),
                                  journal: journal, ledger: (ledger, key), options: options)
            await pool.refresh()
            pools.append(pool)
        }
        say("signing \(settings.messages) messages through the signer pool, \(pools.count) worker\(pools.count == 1 ? "" : "s") (each signature verified on the host and journaled)")
        let started = clock.now
        let signed = try await Self.sign(count: settings.messages, pools: pools)
        timings.signing = clock.now - started
        return signed
    }

    /// Signs messages 0..<count: worker k signs messages k, k + n, k + 2n, … through pool k.
    private static func sign(count: Int, pools: [SignerPool]) async throws -> [(message: [UInt8], signature: PoolSignature)] {
        try await withThrowingTaskGroup(of: [(Int, [UInt8], PoolSignature)].self) { group in
            for (worker, pool) in pools.enumerated() {
                group.addTask {
                    var made: [(Int, [UInt8], PoolSignature)] = []
                    for index in stride(from: worker, to: count, by: pools.count) {
                        let message = Array("cryptech-demo message \(index)".utf8)
                        made.append((index, message, try await pool.sign(message)))
                    }
                    return made
                }
            }
            var all: [(Int, [UInt8], PoolSignature)] = []
            for try await made in group { all += made }
            return all.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        }
    }

    /// 4. Every signature verified again on the host, apart from the pool.
    /// - Returns: how many verify.
    func verifyOnHost(_ signed: [(message: [UInt8], signature: PoolSignature)], publicKey: HSS.PublicKey,
                      timings: inout DemoReport.Timings) -> Int {
        let started = clock.now
        let verified = signed.filter { publicKey.isValidSignature($0.signature.signature, for: $0.message) }.count
        timings.verification = clock.now - started
        return verified
    }

    /// 5. The audit of the pool's journal against the ledger, as `cryptech share audit` runs it.
    func audit(state: KeyLedgerState) async throws -> SignatureAuditor {
        let (items, indeterminate) = SignatureJournal.auditItems(try SignatureJournal.read(path: journalPath), path: journalPath)
        var auditor = SignatureAuditor(publicKey: state.publicKey, shares: ShareMap(state: state))
        for finding in indeterminate { auditor.note(finding) }
        for item in items { try await auditor.audit(item) }
        return auditor
    }

    /// 6. What each board reports now, recorded in the ledger as `cryptech share status
    ///    --board` records it, as the report's rows (in the order the boards were given).
    func boardsNow(_ signers: [BoardSigner], signed: [(message: [UInt8], signature: PoolSignature)], ledger: ShareLedger,
                   key: KeyIdentity, links: [BoardLink]) async throws -> [DemoReport.Board] {
        var reports: [BoardName: BoardReport] = [:]
        for signer in signers {
            let (report, probe) = try await signer.key.reportOrProbe(Array("cryptech-demo status probe".utf8))
            reports[signer.board] = report
            try await ledger.append(.observed(BoardObservation(board: signer.board, range: report.range, next: report.next,
                                                         probeIndex: probe?.index)), key: key)
        }
        let capacity = CapacityReport(state: try ledger.state(of: key), reports: reports)
        let counts = Dictionary(grouping: signed, by: { $0.signature.board }).mapValues(\.count)
        return settings.boards.compactMap { board in
            guard let row = capacity.boards.first(where: { $0.board == board.name }) else { return nil }
            let asked = settings.shares.first { $0.board == board.name }.map { UInt32(clamping: $0.amount) }
            return DemoReport.Board(name: board.name, endpoint: board.endpoint.description, asked: asked, range: row.range, used: row.used,
                                    left: row.free, signatures: counts[board.name] ?? 0)
        }
    }

    /// 7. The demo's keys deleted from the boards (and the key-encryption keys the export
    ///    made), unless --keep-keys; the ledger keeps the record.
    func finish(_ signers: [BoardSigner], madeKEKEKs: Set<BoardName>, links: [BoardLink]) async throws {
        guard !settings.keepKeys else {
            for signer in signers { await signer.key.close() }
            return
        }
        for signer in signers { try await signer.key.key.delete() }
        for link in links where madeKEKEKs.contains(link.name) {
            if let name = try await Self.kekek(on: link.client) { try await link.client.openKey(name: name).delete() }
        }
    }

    /// The name of a board's key-encryption key for imports (a token RSA key for key
    /// encipherment, as the exporter looks for it), if it has one.
    private static func kekek(on client: HSMClient) async throws -> KeyName? {
        let mask: KeyFlags = [.keyEncipherment, .token]
        for try await name in client.matchKeys(type: .rsaPrivate, mask: mask, flags: mask) { return name }
        return nil
    }
}
