import Foundation
import HalRPC
import HashSig
import Testing
@testable import HashSigHost

/// The share story on software Alphas running the stock firmware (`--firmware reference`): no
/// range attributes, export only by bisection; and on mixed fleets.
@Suite("Shares on stock firmware", .serialized, .enabled(if: EmulatorBoard.isAvailable, "build cryptech-emulator first"))
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
}
