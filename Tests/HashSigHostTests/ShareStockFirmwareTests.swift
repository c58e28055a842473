import Foundation
import HalRPC
import HashSig
import Testing
@testable import HashSigHost

/// The share story on software Alphas running the stock firmware (`--firmware reference`): no
/// range attributes, export only by bisection; and on mixed fleets.
@Suite("Shares on stock firmware", .serialized, .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable), "build cryptech-emulator first"))
struct ShareStockFirmwareTests {
    @Test("A -> B -> C by bisection meets A:16,B:8,C:8 exactly; probe signatures show every board where the ledger says")
    func chain() async throws {
        try await BoardFixture.with(["A", "B", "C"], lms: .sha256N32H5, stock: ["A", "B", "C"]) { fixture in
            let state0 = try fixture.ledger.state(of: fixture.key)
            #expect(state0.holdings[board("A")]?.learned == .generated)
            #expect(state0.holdings[board("A")]?.reportsRange == false)
            let outcomes = try await fixture.exporter().export(.exact(try ShareRequest.parseAmounts("A:16,B:8,C:8")), from: board("A"))
            #expect(outcomes.map(\.state) == [.verified, .verified])
            let state = try fixture.ledger.state(of: fixture.key)
            #expect(state.orderedTransfers.map(\.source) == [board("A"), board("B")])
            #expect(state.orderedTransfers.map(\.destination) == [board("B"), board("C")])
            #expect(state.orderedTransfers.allSatisfy { $0.method == .legacyBisect })
            #expect(state.orderedTransfers.map(\.testSignatureIndex) == [16, 24])
            #expect(state.holdings[board("A")]?.range == leaves(0, 16))
            #expect(state.holdings[board("B")]?.range == leaves(16, 24))
            #expect(state.holdings[board("C")]?.range == leaves(24, 32))
            #expect(state.holdings[board("B")]?.learned == .ledger)
            let reports = try await fixture.reports()
            #expect(reports.values.allSatisfy { $0.range == nil })
            #expect(reports[board("A")]?.next == 1)
            #expect(reports[board("B")]?.next == 17)
            #expect(reports[board("C")]?.next == 25)
            for (name, report) in reports {
                #expect(Reconciler.reconcile(report, board: name, state: state).isEmpty)
            }
        }
    }

    @Test("A request bisection cannot meet is refused with the reachable plan; accepted, the ledger matches the boards")
    func unreachable() async throws {
        try await BoardFixture.with(["A", "B", "C"], lms: .sha256N32H5, stock: ["A", "B", "C"]) { fixture in
            let request = ShareRequest.exact(try ShareRequest.parseAmounts("A:20,B:6,C:6"))
            do throws(ShareExportError) {
                _ = try await fixture.exporter().export(request, from: board("A"))
                Issue.record("an unreachable request ran without acceptance")
            } catch {
                guard case .reachablePlanNotAccepted(let plan) = error else { throw error }
                #expect(!plan.isExact)
                #expect(error.description.contains("--accept-reachable"))
                #expect(plan.allocations.map(\.requested) == [20, 6, 6])
            }
            // Refused before anything was recorded but the probe.
            #expect(try fixture.ledger.state(of: fixture.key).transferOrder.isEmpty)
            let outcomes = try await fixture.exporter { $0.acceptReachable = true }.export(request, from: board("A"))
            #expect(outcomes.allSatisfy { $0.state == .verified })
            let state = try fixture.ledger.state(of: fixture.key)
            let plan = try #require(state.bisectionPlans[outcomes[0].plan])
            #expect(plan.map(\.range) == state.orderedTransfers.map(\.range))
            // What the boards hold, by probe signature: each destination signs at its share's start.
            let reports = try await fixture.reports()
            for holding in state.orderedHoldings {
                let report = try #require(reports[holding.board])
                #expect(holding.range.contains(report.next - 1))
                if holding.transfer != nil { #expect(report.next - 1 == holding.range.start) }
                #expect(Reconciler.reconcile(report, board: holding.board, state: state).isEmpty)
            }
            let ranges = state.orderedHoldings.map(\.range).sorted()
            #expect(ranges.first?.start == 0 && ranges.last?.end == 32)
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.end == b.start) }
        }
    }

    @Test("Mixed fleet: a stock source bisects to an SX1 board, which exports its part exactly with SX1")
    func mixedStockSource() async throws {
        try await BoardFixture.with(["A", "B", "C"], lms: .sha256N32H5, stock: ["A", "C"]) { fixture in
            let outcomes = try await fixture.exporter().export(.exact(try ShareRequest.parseAmounts("A:16,B:8,C:8")), from: board("A"))
            #expect(outcomes.map(\.state) == [.verified, .verified])
            let state = try fixture.ledger.state(of: fixture.key)
            #expect(state.orderedTransfers.map(\.method) == [.legacyBisect, .sx1])
            #expect(state.holdings[board("B")]?.range == leaves(16, 24))
            #expect(state.holdings[board("C")]?.range == leaves(24, 32))
            let reports = try await fixture.reports()
            #expect(reports[board("B")]?.range == leaves(16, 24))
            #expect(reports[board("C")]?.range == nil)
            #expect(reports[board("C")]?.next == 25)
        }
    }

    @Test("Mixed fleet: an SX1 source gives exact shares to stock boards, each checked by a test signature")
    func mixedSX1Source() async throws {
        try await BoardFixture.with(["A", "B", "C"], lms: .sha256N32H5, stock: ["B", "C"]) { fixture in
            let outcomes = try await fixture.exporter { $0.testSignature = false }
                .export(.exact(try ShareRequest.parseAmounts("A:20,B:7,C:5")), from: board("A"))
            #expect(outcomes.map(\.state) == [.verified, .verified])
            let state = try fixture.ledger.state(of: fixture.key)
            #expect(state.orderedTransfers.allSatisfy { $0.method == .sx1 })
            // Stock destinations are always test-signed: that is how their start is checked.
            #expect(state.orderedTransfers.map(\.testSignatureIndex) == [27, 20])
            #expect(state.holdings[board("B")]?.range == leaves(20, 27))
            #expect(state.holdings[board("C")]?.range == leaves(27, 32))
        }
    }

    @Test("An interrupted bisection with no stored share burns it, ends its plan, and bars the source from halving again")
    func interruptedBisection() async throws {
        try await BoardFixture.with(["A", "B", "C"], lms: .sha256N32H5, stock: ["A", "B", "C"]) { fixture in
            let request = ShareRequest.exact(try ShareRequest.parseAmounts("A:16,B:8,C:8"))
            let text = ShareExporter.requestText(request, from: board("A"))
            let steps: [BisectionPlan.Step] = [.init(source: board("A"), destination: board("B"), range: leaves(16, 32)),
                                               .init(source: board("B"), destination: board("C"), range: leaves(24, 32))]
            // As a run killed after sending the export and before storing the reply leaves it.
            try await fixture.ledger.append([
                .planned(TransferPlanned(transfer: "T1", plan: "P1", request: text, source: board("A"), destination: board("B"),
                                         range: leaves(16, 32), method: .legacyBisect, probeIndex: 0, bisection: steps)),
                .exporting(TransferExporting(transfer: "T1", sourceNext: 1)),
            ], key: fixture.key)
            let outcomes = try await fixture.exporter().resume()
            #expect(outcomes.map(\.state) == [.burned])
            let state = try fixture.ledger.state(of: fixture.key)
            #expect(state.holdings[board("A")]?.range == leaves(0, 16))
            #expect(state.holdings[board("A")]?.rangeEndUncertain == true)
            #expect(state.burned.first?.sourceMayStillHold == true)
            #expect(!state.hasStepsLeft("P1"))
            #expect(state.endedEarly("P1")?.id == "T1")
            // Nothing more to resume; the same request says why it cannot go on.
            #expect(try await fixture.exporter().resume().isEmpty)
            await #expect(throws: ShareExportError.bisectionPlanBroken(plan: "P1", "transfer T1 A -> B [16, 32) was burned")) {
                try await fixture.exporter().export(request, from: board("A"))
            }
            // A may still hold [16, 32): halving it now would split at an unknown point.
            await #expect(throws: ShareExportError.rangeEndUncertain(board: board("A"))) {
                try await fixture.exporter().export(.exact(try ShareRequest.parseAmounts("B:8")), from: board("A"), again: true)
            }
            // It still signs, inside what the ledger gives it.
            let report = try #require(try await fixture.reports()[board("A")])
            #expect(leaves(0, 16).contains(report.next - 1))
        }
    }

    @Test("The CLI on stock boards: hashsig keygen --ledger, share plan, export (refused, then exact), status, sign, audit",
          .enabled(if: try BuiltExecutables.present(CryptechCLI.executable), "build cryptech first"))
    func commandLine() async throws {
        let directory = try TemporaryDirectory()
        var boards: [EmulatorBoard] = []
        defer { directory.cleanup() }
        do {
            for name in ["A", "B", "C"] { boards.append(try await EmulatorBoard(name, in: directory, firmware: "reference")) }
            for board in boards { await board.release() }
            try await runCommands(boards, directory)
        } catch {
            for board in boards { await board.stop() }
            throw error
        }
        for board in boards { await board.stop() }
    }

    private func runCommands(_ boards: [EmulatorBoard], _ directory: TemporaryDirectory) async throws {
        let ledger = directory.file("shares.jsonl")
        let pinVariable = "HASHSIGHOST_TEST_PIN"
        let environment = [pinVariable: String(decoding: EmulatorBoard.pin.bytes, as: UTF8.self)]
        let boardArguments = boards.flatMap { ["--board", "\($0.name)=\($0.ttyPath)"] }
        func cryptech(_ arguments: [String]) throws -> CryptechCLI.Run {
            try CryptechCLI.run(arguments, environment: environment)
        }

        // A ledger that cannot take the key stops keygen before the board makes one.
        let unwritable = try cryptech(["hashsig", "keygen", "--device", boards[0].ttyPath, "--pin-env", pinVariable,
                                       "--levels", "2", "--lms", "h5", "--lmots", "w4", "--pubkey", directory.file("unused.pub"),
                                       "--ledger", directory.file("missing/shares.jsonl")])
        #expect(unwritable.status == 2, "\(unwritable.output)")
        #expect(unwritable.output.contains("cannot be written") && unwritable.output.contains("no key was generated"))
        let none = try cryptech(["share", "register", "--ledger", directory.file("none.jsonl"), "--pin-env", pinVariable,
                                 "--board", "A=\(boards[0].ttyPath)", "--range", "0:32"])
        #expect(none.output.contains("board A holds 0 hashsig keys"), "\(none.output)")

        let keygen = try cryptech(["hashsig", "keygen", "--device", boards[0].ttyPath, "--pin-env", pinVariable,
                                   "--levels", "2", "--lms", "h5", "--lmots", "w4", "--pubkey", directory.file("hashsig.pub"),
                                   "--ledger", ledger])
        #expect(keygen.status == 0, "\(keygen.output)")
        #expect(keygen.output.contains("registered in \(ledger) as held by board A, range [0, 32), next index 1"))
        #expect(keygen.output.contains("probe signature, q=0"))

        let plan = try cryptech(["share", "plan", "--ledger", ledger, "--from", "A", "--shares", "A:16,B:8,C:8"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(plan.output.contains("no SX1"))
        #expect(plan.output.contains("exports, in order: A -> B [16, 32), then B -> C [24, 32)"))
        #expect(plan.output.contains("bisection meets the request exactly"))
        #expect(plan.output.contains("risk: board A does not keep exports pending (stock firmware): an export whose reply is lost burns its share"))
        let inexact = try cryptech(["share", "plan", "--ledger", ledger, "--from", "A", "--shares", "A:20,B:6,C:6"])
        #expect(inexact.status == 0)
        #expect(inexact.output.contains("--accept-reachable"))

        let refused = try cryptech(["share", "export", "--ledger", ledger, "--pin-env", pinVariable, "--from", "A",
                                    "--shares", "A:20,B:6,C:6"] + boardArguments)
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("cannot be met exactly"))
        #expect(refused.output.contains("--accept-reachable"))
        let export = try cryptech(["share", "export", "--ledger", ledger, "--pin-env", pinVariable, "--from", "A",
                                   "--shares", "A:16,B:8,C:8"] + boardArguments)
        #expect(export.status == 0, "\(export.output)")
        let shareLedger = try await ShareLedger(path: ledger)
        let state = try shareLedger.state(of: try #require(shareLedger.keys.first))
        #expect(state.orderedHoldings.map(\.range) == [leaves(0, 16), leaves(16, 24), leaves(24, 32)])
        #expect(state.orderedTransfers.map(\.method) == [.legacyBisect, .legacyBisect])

        let status = try cryptech(["share", "status", "--ledger", ledger, "--pin-env", pinVariable, "--acknowledge-low"] + boardArguments)
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("no SX1 range attributes on A, B, C: next index from a probe signature"))
        #expect(status.output.contains("yes, probe q=16"))
        #expect(status.output.contains("yes, probe q=24"))

        let journal = directory.file("signatures.jsonl")
        for (index, preferred) in ["A", "B", "C"].enumerated() {
            let message = directory.file("message-\(index)")
            try Data("stock firmware message \(index)".utf8).write(to: URL(fileURLWithPath: message))
            let sign = try cryptech(["share", "sign", "--ledger", ledger, "--pin-env", pinVariable, "--message", message,
                                     "--sig", directory.file("sig-\(index)"), "--journal", journal, "--priority", preferred] + boardArguments)
            #expect(sign.status == 0, "\(sign.output)")
        }
        let audit = try cryptech(["share", "audit", "--ledger", ledger, "--journal", journal])
        #expect(audit.status == 0, "\(audit.output)")
        #expect(audit.output.contains("audited 3 signatures"))
        #expect(audit.output.contains(": 3 valid\n"))
        // Each board signed once, inside its share (at the leaf that signed its lower tree).
        #expect(audit.output.contains("A               1         0          0"))
        #expect(audit.output.contains("B               1        16         16"))
        #expect(audit.output.contains("C               1        24         24"))

        // A share the ledger never saw arrive: the operator states its range, a probe checks it.
        let other = directory.file("other.jsonl")
        let cBoard = ["--board", "C=\(boards[2].ttyPath)"]
        let unstated = try cryptech(["share", "register", "--ledger", other, "--pin-env", pinVariable] + cBoard)
        #expect(unstated.status == 1)
        #expect(unstated.output.contains("give the range it holds with --range START:END"))
        let wrong = try cryptech(["share", "register", "--ledger", other, "--pin-env", pinVariable, "--range", "0:16"] + cBoard)
        #expect(wrong.status == 1)
        #expect(wrong.output.contains("signed with top-level leaf 24, outside [0, 16): not registered"))
        let stated = try cryptech(["share", "register", "--ledger", other, "--pin-env", pinVariable, "--range", "24:32"] + cBoard)
        #expect(stated.status == 0, "\(stated.output)")
        #expect(stated.output.contains("range [24, 32), next index 25 (range as given with --range; confirmed by a probe signature)"))
        let registered = try await ShareLedger(path: other)
        let registeredKey = try #require(registered.keys.first)
        let holding = try #require(try registered.state(of: registeredKey).holdings[board("C")])
        #expect(holding.learned == .stated)
        // Known to the ledger: its range comes from there.
        let again = try cryptech(["share", "register", "--ledger", other, "--pin-env", pinVariable] + cBoard)
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("already recorded as held by board C, range [24, 32)"))
    }
}
