import EtcdLedger
import Foundation
import HalRPC
import HashSig
import Testing
@testable import HashSigHost

/// SX1's two-phase export from the host's side (issue 17, item 3): an export whose reply is lost
/// is asked for again instead of being burned, and a pending share is confirmed once its blob
/// is stored, also when that confirmation only gets through before the next export.
@Suite("Lost export replies", .serialized, .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable, CryptechCLI.executable), "build cryptech-emulator and cryptech first"))
struct ShareLostReplyTests {
    /// What ``ShareExporter`` does for `transfer` up to the export request, which A carries
    /// out: `planned` and `exporting` are on record, the source has given the share up.
    /// - Returns: the export's reply, which the caller may drop (a lost reply).
    @discardableResult
    private func export(_ fixture: BoardFixture, _ transfer: String, to destination: String, _ range: LeafRange) async throws -> RPC.PKeyExport.Reply {
        let exporter = fixture.exporter()
        try await fixture.ledger.append(.planned(TransferPlanned(transfer: transfer, plan: "P-" + transfer, request: "from A: \(destination):\(range.count)",
                                                                 source: board("A"), destination: board(destination), range: range, method: .sx1)),
                                        key: fixture.key)
        let state = try fixture.ledger.state(of: fixture.key)
        let planned = try #require(state.transfers[transfer])
        let (kekek, kekekName) = try await exporter.loadKEKEK(for: planned)
        let source = try await exporter.openHolding(board("A"), state: state)
        let report = try #require(try await source.report())
        try await fixture.ledger.append(.exporting(TransferExporting(transfer: transfer, sourceRange: report.range, sourceNext: report.next,
                                                                     kekek: kekekName.description)), key: fixture.key)
        let reply = try await source.key.export(kekek: kekek, shareCount: range.count)
        try? await kekek.delete()
        await source.close()
        return reply
    }

    /// Board `name`'s pending share of the fixture's key.
    private func pending(_ fixture: BoardFixture, _ name: String) async throws -> PendingShare {
        let holding = try #require(try fixture.ledger.state(of: fixture.key).holdings[board(name)])
        let key = try await BoardHashsigKey.open(try #require(KeyName(uuidString: holding.keyName)), on: fixture.board(name).link)
        let pending = try await key.pendingShare()
        await key.close()
        return pending
    }

    @Test("An SX1 export whose reply was lost is asked for again: the same share, verified on its destination, nothing burned")
    func lostReplyIsAskedAgain() async throws {
        try await BoardFixture.with(["A", "B"], lms: .sha256N32H5) { fixture in
            try await export(fixture, "T1", to: "B", leaves(24, 32))
            #expect(try await pending(fixture, "A") == .share(leaves(24, 32)))

            let outcomes = try await fixture.exporter().resume()
            #expect(outcomes.map(\.state) == [.verified])
            let records = try await ShareLedger(store: LedgerLocation.store(for: fixture.ledger.path)).records.map(\.event)
            #expect(!records.contains { if case .burned = $0 { true } else { false } })
            let notes = records.compactMap { if case .exported(let exported) = $0 { exported.note } else { nil } }
            #expect(notes == ["wrapped again by board A from its pending share: the first reply was lost"])
            #expect(try await pending(fixture, "A") == PendingShare.none, "confirmed once the blob was stored")
            let state = try fixture.ledger.state(of: fixture.key)
            #expect(state.holdings[board("A")]?.range == leaves(0, 24))
            #expect(state.holdings[board("B")]?.range == leaves(24, 32))
            let reports = try await fixture.reports()
            #expect(reports[board("A")]?.range == leaves(0, 24))
            #expect(reports[board("B")]?.range == leaves(24, 32))
        }
    }

    @Test("A pending share whose confirmation never got through is confirmed before the next export from its board")
    func leftoverPendingShareIsSettled() async throws {
        try await BoardFixture.with(["A", "B", "C"], lms: .sha256N32H5) { fixture in
            let exporter = fixture.exporter()
            // T1's blob is stored and `exported` recorded; the confirmation was never sent.
            let reply = try await export(fixture, "T1", to: "B", leaves(24, 32))
            let t1 = try #require(try fixture.ledger.state(of: fixture.key).transfers["T1"])
            try await exporter.recordExport(t1, WrappedShare(pkcs8: reply.pkcs8, kek: reply.kek), reportedByBoard: true, note: nil)
            #expect(try await pending(fixture, "A") == .share(leaves(24, 32)))

            // The next export from A confirms it first (A refuses any other export until then).
            try await fixture.ledger.append(.planned(TransferPlanned(transfer: "T2", plan: "P-T2", request: "from A: C:8", source: board("A"),
                                                                     destination: board("C"), range: leaves(16, 24), method: .sx1)),
                                            key: fixture.key)
            try await exporter.underExportLock { () async throws(ShareExportError) in try await exporter.drive(transfer: "T2") }
            #expect(try await pending(fixture, "A") == PendingShare.none)
            let outcomes = try await exporter.resume()
            #expect(outcomes.map(\.transfer) == ["T1"])
            let state = try fixture.ledger.state(of: fixture.key)
            #expect(state.orderedTransfers.map(\.state) == [.verified, .verified])
            #expect(state.orderedHoldings.map(\.range) == [leaves(0, 16), leaves(16, 24), leaves(24, 32)])
        }
    }

    @Test("A wrapped share damaged on the way is wrapped again from the source's pending share: verified, nothing burned")
    func damagedBlobIsWrappedAgain() async throws {
        try await BoardFixture.with(["A", "B"], lms: .sha256N32H5) { fixture in
            let reply = try await export(fixture, "T1", to: "B", leaves(24, 32))
            // One bit of the wrapped share flipped on the link: the protocol cannot see it.
            var pkcs8 = reply.pkcs8
            pkcs8[pkcs8.count / 2] ^= 0x10
            let exporter = fixture.exporter()
            let t1 = try #require(try fixture.ledger.state(of: fixture.key).transfers["T1"])
            try await exporter.recordExport(t1, WrappedShare(pkcs8: pkcs8, kek: reply.kek), reportedByBoard: true, note: nil)

            let outcomes = try await exporter.resume()
            #expect(outcomes.map(\.state) == [.verified])
            let records = try await ShareLedger(store: LedgerLocation.store(for: fixture.ledger.path)).records.map(\.event)
            #expect(!records.contains { if case .burned = $0 { true } else { false } })
            let notes = records.compactMap { if case .exported(let exported) = $0 { exported.note } else { nil } }
            #expect(notes.count == 1)
            #expect(notes.first?.hasPrefix("wrapped again by board A from its pending share: board B could not unwrap the blob") == true, "\(notes)")
            #expect(try await pending(fixture, "A") == PendingShare.none, "confirmed once B imported the share")
            let reports = try await fixture.reports()
            #expect(reports[board("A")]?.range == leaves(0, 24))
            #expect(reports[board("B")]?.range == leaves(24, 32))
        }
    }

    @Test("A pending share's confirmation whose success came back as an error is settled by asking the board, not reported as its error")
    func damagedConfirmationIsSettled() async throws {
        try await BoardFixture.with(["A", "B"], lms: .sha256N32H5) { fixture in
            let reply = try await export(fixture, "T1", to: "B", leaves(24, 32))
            let t1 = try #require(try fixture.ledger.state(of: fixture.key).transfers["T1"])
            try await fixture.exporter().recordExport(t1, WrappedShare(pkcs8: reply.pkcs8, kek: reply.kek), reportedByBoard: true, note: nil)
            // SET_ATTRIBUTES answers with no results, so status 0 with its lowest bit flipped is
            // a well-formed HAL_ERROR_BAD_ARGUMENTS: A's first such reply is the confirmation's.
            let damaged = try await fixture.board("A").withDamagingLink({ reply in
                guard DamagingConnector.function(of: reply) == FunctionNumber.pkeySetAttributes.rawValue, reply.count == 12,
                      reply[8..<12].allSatisfy({ $0 == 0 }) else { return nil }
                return 11
            }) { a, connector in
                let exporter = ShareExporter(ledger: fixture.ledger, key: fixture.key, boards: [a, fixture.board("B").link], options: .init())
                let source = try await exporter.openHolding(board("A"), state: try fixture.ledger.state(of: fixture.key))
                try await exporter.underExportLock { () async throws(ShareExportError) in try await exporter.settlePendingShare(on: source, before: t1) }
                await source.close()
                return connector.damaged
            }
            #expect(damaged == 1)
            #expect(try await pending(fixture, "A") == PendingShare.none)
        }
    }

    @Test("share plan says whether a lost export reply would burn a share: not on an SX1 board that keeps it pending")
    func planNamesTheRisk() async throws {
        try await BoardFixture.with(["A"], lms: .sha256N32H5) { fixture in
            let a = fixture.board("A")
            await a.release()
            let pinVariable = "HASHSIGHOST_TEST_PIN"
            let run = try CryptechCLI.run(["share", "plan", "--ledger", fixture.ledger.path, "--pin-env", pinVariable, "--board", "A=\(a.ttyPath)",
                                           "--from", "A", "--shares", "A:24,B:8"],
                                          environment: [pinVariable: String(decoding: EmulatorBoard.pin.bytes, as: UTF8.self)])
            try await a.reacquire()
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("a lost export reply burns nothing: board A keeps each share pending until its blob is stored"))
        }
    }
}
