import HalRPC
import HashSig
import RandomInputs
import Testing
@testable import HashSigHost

@Suite("Share planning")
struct SharePlannerTests {
    let fresh = try! ShareSource(board: board("A"), range: leaves(0, 1024), next: 1)

    @Test("Exact counts with the source named partition its whole range, used leaves included")
    func exactWithSource() async throws {
        let request = ShareRequest.exact(try ShareRequest.parseAmounts("A:512,B:256,C:128,D:128"))
        let plan = try SharePlanner.plan(source: fresh, request: request)
        #expect(plan.allocations.map(\.board) == [board("A"), board("B"), board("C"), board("D")])
        #expect(plan.allocations.map(\.range) == [leaves(0, 512), leaves(512, 768), leaves(768, 896), leaves(896, 1024)])
        #expect(plan.transfers.map(\.destination) == [board("D"), board("C"), board("B")])
        #expect(plan.transfers.map(\.count) == [128, 128, 256])
        #expect(plan.sourceKeeps == leaves(0, 512))
    }

    @Test("Without the source, destinations take the top and the source keeps the rest")
    func exactWithoutSource() async throws {
        let source = try ShareSource(board: board("A"), range: leaves(0, 1024), next: 40)
        let plan = try SharePlanner.plan(source: source, request: .exact(try ShareRequest.parseAmounts("B:256")))
        #expect(plan.sourceKeeps == leaves(0, 768))
        #expect(plan.transfers.map(\.range) == [leaves(768, 1024)])
    }

    @Test("Executing the transfers in order with SX1 yields exactly the planned ranges")
    func executesToPlan() async throws {
        let plan = try SharePlanner.plan(source: fresh, request: .exact(try ShareRequest.parseAmounts("A:512,B:256,C:128,D:128")))
        try expectExecution(plan)
    }

    @Test("Refusals name the board at fault", arguments: [
        ("B:1024", SharePlanError.notEnoughLeaves(source: board("A"), requested: 1024, remaining: 1023, unused: leaves(1, 1024))),
        ("B:0", .nonPositiveAmount(board: board("B"), amount: 0)),
        ("B:-5", .nonPositiveAmount(board: board("B"), amount: -5)),
        ("B:5,B:6", .duplicateBoard(board("B"))),
        ("A:1024", .emptyRequest),
        ("A:500,B:500", .sourceCountMismatch(source: board("A"), total: 1000, holds: leaves(0, 1024))),
    ])
    func refusals(text: String, expected: SharePlanError) throws {
        #expect(throws: expected) {
            try SharePlanner.plan(source: fresh, request: .exact(try ShareRequest.parseAmounts(text)))
        }
    }

    @Test("The source cannot keep fewer leaves than it has used")
    func belowUsed() async throws {
        let source = try ShareSource(board: board("A"), range: leaves(0, 1024), next: 600)
        #expect(throws: SharePlanError.sourceBelowUsed(source: board("A"), keeps: 512, used: 600)) {
            try SharePlanner.plan(source: source, request: .exact(try ShareRequest.parseAmounts("A:512,B:512")))
        }
        #expect(throws: SharePlanError.sourceBelowUsed(source: board("A"), keeps: 512, used: 600)) {
            try SharePlanner.plan(source: source, request: .equal([board("A"), board("B")]))
        }
    }

    @Test("Malformed request text is refused with the reason")
    func malformed() {
        #expect(throws: SharePlanError.self) { try ShareRequest.parseAmounts("B256") }
        #expect(throws: SharePlanError.self) { try ShareRequest.parseAmounts("B:x") }
        #expect(throws: SharePlanError.self) { try ShareRequest.parseAmounts("B C:5") }
        #expect(throws: SharePlanError.self) { try ShareRequest.parseBoards("A,,B") }
    }

    @Test("Weights divide by largest remainder; ties go to the board named first")
    func weights() async throws {
        let source = try ShareSource(board: board("A"), range: leaves(0, 10), next: 0)
        let plan = try SharePlanner.plan(source: source, request: .weights(try ShareRequest.parseAmounts("B:1,C:1,D:1")))
        #expect(plan.allocations.map(\.range.count) == [0, 4, 3, 3])
        let named = try SharePlanner.plan(source: source, request: .weights(try ShareRequest.parseAmounts("A:3,B:1")))
        #expect(named.allocations.map(\.range) == [leaves(0, 8), leaves(8, 10)])
    }

    @Test("Equal among N with the source divides its range; without it, the unused leaves")
    func equal() async throws {
        let withSource = try SharePlanner.plan(source: fresh, request: .equal(try ShareRequest.parseBoards("A,B,C,D")))
        #expect(withSource.allocations.map(\.range.count) == [256, 256, 256, 256])
        let without = try SharePlanner.plan(source: fresh, request: .equal(try ShareRequest.parseBoards("B,C")))
        #expect(without.transfers.map(\.count).reduce(0, +) == 1023)
        #expect(without.sourceKeeps == leaves(0, 1))
    }

    @Test("A board that would get no leaf is refused")
    func emptyShare() async throws {
        let source = try ShareSource(board: board("A"), range: leaves(0, 4), next: 2)
        #expect(throws: SharePlanError.emptyShare(board: board("D"), leaves: 2)) {
            try SharePlanner.plan(source: source, request: .equal(try ShareRequest.parseBoards("B,C,D")))
        }
    }

    @Test("From the ledger: unknown key, unknown board and unfinished transfers are refused by name")
    func fromLedger() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        let request = ShareRequest.exact(try ShareRequest.parseAmounts("B:256"))
        let plan = try SharePlanner.plan(request, from: board("A"), key: fixture.key, in: fixture.ledger)
        #expect(plan.transfers.map(\.range) == [leaves(768, 1024)])
        // A board's fresher report wins over the ledger.
        let reported = try SharePlanner.plan(request, from: board("A"), key: fixture.key, in: fixture.ledger,
                                             report: BoardReport(next: 700, range: leaves(0, 1024)))
        #expect(reported.source.next == 700)
        let other = try KeyIdentity(String(repeating: "ab", count: 16) + ":" + String(repeating: "cd", count: 32))
        #expect(throws: SharePlanError.unknownKey(other)) { try SharePlanner.plan(request, from: board("A"), key: other, in: fixture.ledger) }
        #expect(throws: SharePlanError.unknownBoard(board("Z"), key: fixture.key)) {
            try SharePlanner.plan(request, from: board("Z"), key: fixture.key, in: fixture.ledger)
        }
        try await fixture.transfer("T1", to: "C", leaves(900, 1024), upTo: .exporting)
        #expect(throws: SharePlanError.unfinishedTransfers(source: board("A"), transfers: ["T1"])) {
            try SharePlanner.plan(request, from: board("A"), key: fixture.key, in: fixture.ledger)
        }
    }

    @Test("Planning is deterministic")
    func deterministic() async throws {
        let request = ShareRequest.weights(try ShareRequest.parseAmounts("B:7,C:3,D:11"))
        #expect(try SharePlanner.plan(source: fresh, request: request) == SharePlanner.plan(source: fresh, request: request))
    }

    @Test("Property: ranges never overlap, never exceed what is left, and execute to the plan", arguments: 0..<4)
    func property(round: Int) async throws {
        var random = SplitMix64(seed: 0xC0FFEE + UInt64(round))
        var planned = 0
        for _ in 0..<1500 {
            let height = [5, 10, 15, 20].randomElement(using: &random)!
            let total = UInt32(1) << UInt32(height)
            let start = UInt32.random(in: 0..<total, using: &random)
            let end = UInt32.random(in: start...total, using: &random)
            let next = UInt32.random(in: start...end, using: &random)
            let source = try ShareSource(board: board("S"), range: leaves(start, end), next: next)
            let names = (0..<Int.random(in: 1...6, using: &random)).map { board("B\($0)") }
            let includeSource = Bool.random(using: &random)
            let request: ShareRequest
            switch Int.random(in: 0..<3, using: &random) {
            case 0:
                var amounts = names.map { ShareRequest.BoardAmount($0, Int64.random(in: -2...Int64(max(1, source.remaining / 2)), using: &random)) }
                if includeSource {
                    let rest = Int64(source.range.count) - amounts.reduce(0) { $0 + max(0, $1.amount) }
                    amounts.insert(ShareRequest.BoardAmount(board("S"), Bool.random(using: &random) ? rest : rest + 1), at: 0)
                }
                request = .exact(amounts)
            case 1:
                var amounts = names.map { ShareRequest.BoardAmount($0, Int64.random(in: 1...100, using: &random)) }
                if includeSource { amounts.append(ShareRequest.BoardAmount(board("S"), Int64.random(in: 1...100, using: &random))) }
                request = .weights(amounts)
            default:
                request = .equal(includeSource ? [board("S")] + names : names)
            }
            let plan: SharePlan
            do {
                plan = try SharePlanner.plan(source: source, request: request)
            } catch {
                continue
            }
            planned += 1
            let ranges = plan.allocations.map(\.range)
            // Contiguous, in order, covering the source's range exactly.
            #expect(ranges.first?.start == source.range.start)
            #expect(ranges.last?.end == source.range.end)
            for (a, b) in zip(ranges, ranges.dropFirst()) {
                #expect(a.end == b.start)
                #expect(!a.overlaps(b))
            }
            // Exports come only from unused leaves and never exceed them.
            #expect(plan.exportedCount <= source.remaining)
            #expect(plan.transfers.allSatisfy { $0.range.start >= source.next && !$0.range.isEmpty })
            #expect(plan.sourceKeeps.end >= source.next)
            if case .exact(let amounts) = request {
                for transfer in plan.transfers {
                    #expect(Int64(transfer.count) == amounts.first { $0.board == transfer.destination }?.amount)
                }
            }
            try expectExecution(plan)
        }
        #expect(planned > 300)
    }

    /// Runs the transfers as SX1 would (HashSig's split arithmetic) and compares.
    private func expectExecution(_ plan: SharePlan) throws {
        var next = plan.source.next
        var end = plan.source.range.end
        for transfer in plan.transfers {
            let split = try HSS.LeafRangeSplit.topLeaves(transfer.count, next: next, end: end)
            #expect(LeafRange(split.share) == transfer.range)
            end = split.kept.upperBound
            next = split.kept.lowerBound
        }
        #expect(end == plan.sourceKeeps.end)
    }
}
