import Foundation
import HalRPC
import HashSig
import Testing
@testable import HashSigHost

/// End to end against real `cryptech-emulator` processes on ptys, through `HSMClient`.
@Suite("Shares across software Alphas", .serialized, .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable), "build cryptech-emulator first"))
struct ShareIntegrationTests {
    @Test("Two boards: 768/256, 60 signatures through the pool with a board removed half way, clean audit")
    func twoBoards() async throws {
        try await shareSignAndAudit(boards: ["A", "B"], shares: "A:768,B:256")
    }

    @Test("Four boards: 512/256/128/128, 60 signatures through the pool with a board removed half way, clean audit")
    func fourBoards() async throws {
        try await shareSignAndAudit(boards: ["A", "B", "C", "D"], shares: "A:512,B:256,C:128,D:128")
    }

    /// Exports `shares` from A, then signs 60 messages through the pool; after 30, the board
    /// that made the 30th is killed.
    private func shareSignAndAudit(boards names: [String], shares: String) async throws {
        try await BoardFixture.with(names) { fixture in
            let outcomes = try await fixture.exporter().export(.exact(try ShareRequest.parseAmounts(shares)), from: board("A"))
            #expect(outcomes.allSatisfy { $0.state == .verified })
            let state = try fixture.ledger.state(of: fixture.key)
            let wanted = try ShareRequest.parseAmounts(shares)
            var start: UInt32 = 0
            for amount in wanted {
                let holding = try #require(state.holdings[amount.board])
                #expect(holding.range == leaves(start, start + UInt32(amount.amount)))
                start += UInt32(amount.amount)
            }
            // Every board reports exactly the range the ledger gave it.
            let reports = try await fixture.reports()
            for name in names {
                #expect(reports[board(name)]?.range == state.holdings[board(name)]?.range)
                #expect(Reconciler.reconcile(reports[board(name)]!, board: board(name), state: state).isEmpty)
            }

            let journal = SignatureJournal(path: fixture.directory.file("signatures.jsonl"))
            var signers: [any ShareSigner] = []
            for name in names {
                let holding = state.holdings[board(name)]!
                signers.append(BoardSigner(key: try await BoardHashsigKey.open(KeyName(uuidString: holding.keyName)!, on: fixture.board(name).link)))
            }
            let pool = SignerPool(publicKey: fixture.publicKey, signers: signers, shares: ShareMap(state: state), journal: journal)
            await pool.refresh()
            var made: [PoolSignature] = []
            var indeterminate = 0
            var attempt = 0
            var removed: BoardName?
            while made.count < 60 {
                attempt += 1
                if made.count == 30, removed == nil {
                    removed = made[29].board
                    await fixture.board(removed!.rawValue).kill()
                }
                let result: Result<PoolSignature, SignerPoolError> = await signOnce(pool, Array("message \(attempt)".utf8))
                switch result {
                case .success(let signed):
                    made.append(signed)
                case .failure(.indeterminate):
                    // A request lost with the board: never re-sent; the next call is a new request.
                    indeterminate += 1
                case .failure(let error):
                    throw error
                }
                #expect(attempt < 200)
                if attempt >= 200 { break }
            }
            #expect(made.count == 60)
            #expect(indeterminate <= 1)
            // The removed board signed before it went, and never after.
            let removedBoard = try #require(removed)
            let firstHalf = made.prefix(30).map(\.board)
            let secondHalf = made.suffix(30).map(\.board)
            #expect(firstHalf.contains(removedBoard))
            #expect(!secondHalf.contains(removedBoard))

            // The audit, from the pool's journal as the CLI reads it.
            let (items, notes) = SignatureJournal.auditItems(try SignatureJournal.read(path: journal.path), path: journal.path)
            #expect(items.count == 60)
            #expect(notes.count == indeterminate)
            var auditor = SignatureAuditor(publicKey: fixture.publicKey, shares: ShareMap(state: state))
            for item in items { try await auditor.audit(item) }
            #expect(auditor.isClean)
            #expect(auditor.valid == 60)
            #expect(!auditor.findings.contains { $0.kind == "one-time-key-reused" || $0.kind == "signed-outside-own-share" })
            for signed in made {
                #expect(state.holdings[signed.board]!.range.contains(signed.topLeafIndex))
            }
            #expect(Set(made.map { $0.leafIndices }).count == 60)
        }
    }

    private func signOnce(_ pool: SignerPool, _ message: [UInt8]) async -> Result<PoolSignature, SignerPoolError> {
        do {
            return .success(try await pool.sign(message))
        } catch {
            return .failure(error)
        }
    }

    @Test("A replayed blob is refused by the host, also after the key was deleted on the destination")
    func replay() async throws {
        try await BoardFixture.with(["A", "B"]) { fixture in
            let exporter = fixture.exporter { $0.keepBlobs = true }
            let outcomes = try await exporter.export(.exact(try ShareRequest.parseAmounts("B:100")), from: board("A"))
            let transfer = try #require(outcomes.first)
            #expect(transfer.state == .verified)
            let blob = try #require(try await exporter.blobs.load(key: fixture.key, transfer: transfer.transfer))
            await #expect(throws: ShareExportError.blobAlreadyImported(digest: blob.digest, transfer: transfer.transfer, board: board("B"))) {
                try await exporter.importBlob(blob, transfer: transfer.transfer)
            }
            // Delete the share on B, as someone trying to start it over would.
            let state = try fixture.ledger.state(of: fixture.key)
            let onB = try await fixture.board("B").client.openKey(name: KeyName(uuidString: state.holdings[board("B")]!.keyName)!)
            try await onB.delete()
            #expect(try await BoardHashsigKey.find(fixture.key, on: fixture.board("B").link) == nil)
            do {
                _ = try await exporter.importBlob(blob, transfer: transfer.transfer)
                Issue.record("the replay was accepted")
            } catch let error as ShareExportError {
                #expect(error == .blobAlreadyImported(digest: blob.digest, transfer: transfer.transfer, board: board("B")))
                #expect(error.description.contains("already imported on board B"))
            }
            #expect(try await BoardHashsigKey.find(fixture.key, on: fixture.board("B").link) == nil)
        }
    }

    @Test("Firmware without SX1: the probe signature tells the bisection, recorded as such")
    func legacy() async throws {
        try await BoardFixture.with(["A", "B"]) { fixture in
            let outcomes = try await fixture.exporter { $0.forceLegacy = true }.export(.equal([board("A"), board("B")]), from: board("A"))
            let transfer = try #require(outcomes.first)
            #expect(transfer.state == .verified)
            let state = try fixture.ledger.state(of: fixture.key)
            let recorded = try #require(state.transfers[transfer.transfer])
            #expect(recorded.method == .legacyBisect)
            let probe = try #require(recorded.probeIndex)
            let mid = (probe + 1 + 1024) / 2
            #expect(recorded.range == leaves(mid, 1024))
            #expect(recorded.note?.contains("probe signature q=\(probe)") == true)
            let reports = try await fixture.reports()
            #expect(reports[board("A")]?.range == leaves(0, mid))
            #expect(reports[board("B")]?.range == leaves(mid, 1024))
        }
    }

    @Test("Every restart burns one top-level leaf; a board restored from a backup raises an alarm")
    func restartAndRollback() async throws {
        try await BoardFixture.with(["A", "B"]) { fixture in
            _ = try await fixture.exporter().export(.exact(try ShareRequest.parseAmounts("B:256")), from: board("A"))
            let b = fixture.board("B")
            let before = try #require(try await fixture.reports()[board("B")])
            try await fixture.ledger.append(.observed(BoardObservation(board: board("B"), range: before.range, next: before.next)), key: fixture.key)
            let backup = fixture.directory.file("backup-B")
            try FileManager.default.copyItem(atPath: b.stateDirectory, toPath: backup)

            try await b.restart(log: fixture.directory.file("board-B-2.log"))
            _ = try await waitForReport(fixture, "B")
            try await b.restart(log: fixture.directory.file("board-B-3.log"))
            let afterRestart = try await waitForReport(fixture, "B")
            #expect(afterRestart.next == before.next + 2)
            var state = try fixture.ledger.state(of: fixture.key)
            #expect(Reconciler.reconcile(afterRestart, board: board("B"), state: state).isEmpty)
            try await fixture.ledger.append(.observed(BoardObservation(board: board("B"), range: afterRestart.range, next: afterRestart.next)), key: fixture.key)
            state = try fixture.ledger.state(of: fixture.key)
            #expect(CapacityReport(state: state).boards.first { $0.board == board("B") }?.used == afterRestart.next - 768)

            // Put the old state back, as restoring a backup would.
            await b.kill()
            try FileManager.default.removeItem(atPath: b.stateDirectory)
            try FileManager.default.copyItem(atPath: backup, toPath: b.stateDirectory)
            try await b.restart(log: fixture.directory.file("board-B-4.log"))
            let restored = try await waitForReport(fixture, "B")
            let findings = Reconciler.reconcile(restored, board: board("B"), state: state)
            #expect(findings.contains { if case .indexWentBackwards = $0 { true } else { false } })
            let status = ShareStatus(state: state, reports: [board("B"): restored])
            #expect(status.alarms.contains { $0.kind == "index-went-backwards" })
        }
    }

    /// The board's report once its hashsig keys are rebuilt after a restart.
    private func waitForReport(_ fixture: BoardFixture, _ name: String) async throws -> BoardReport {
        for _ in 0..<600 {
            if let report = try? await fixture.reports()[board(name)] { return report }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw EmulatorError("board \(name) never answered after restart")
    }
}
