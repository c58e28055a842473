import HalRPC
import HashSig
import Testing
@testable import HashSigHost

@Suite("Bisection planning (firmware without SX1)")
struct BisectionPlannerTests {
    /// An H5 key just generated with L = 2: leaf 0 signed the first lower tree.
    let small = try! ShareSource(board: board("A"), range: leaves(0, 32), next: 1)

    @Test("A:16,B:8,C:8 is reached exactly by A -> B, then B -> C")
    func chain() throws {
        let plan = try BisectionPlanner.plan(source: small, request: .exact(try ShareRequest.parseAmounts("A:16,B:8,C:8")), levels: 2)
        #expect(plan.isExact)
        #expect(plan.steps == [.init(source: board("A"), destination: board("B"), range: leaves(16, 32)),
                               .init(source: board("B"), destination: board("C"), range: leaves(24, 32))])
        #expect(plan.allocations.map(\.range) == [leaves(0, 16), leaves(16, 24), leaves(24, 32)])
        #expect(plan.allocations.allSatisfy { $0.difference == 0 })
        try expectBisection(plan, from: small, levels: 2)
    }

    @Test("A request halving cannot meet shows the closest reachable allocation and each difference")
    func unreachable() throws {
        let fresh = try ShareSource(board: board("A"), range: leaves(0, 1024), next: 1)
        let plan = try BisectionPlanner.plan(source: fresh, request: .exact(try ShareRequest.parseAmounts("A:512,B:320,C:192")), levels: 2)
        #expect(!plan.isExact)
        #expect(plan.allocations.map(\.board) == [board("A"), board("B"), board("C")])
        #expect(plan.allocations.map(\.requested) == [512, 320, 192])
        // A -> B gives B [512, 1024); B (next 513) -> C gives C [768, 1024): 512/256/256.
        #expect(plan.allocations.map(\.range) == [leaves(0, 512), leaves(512, 768), leaves(768, 1024)])
        #expect(plan.allocations.map(\.difference) == [0, -64, 64])
        try expectBisection(plan, from: fresh, levels: 2)
    }

    @Test("Equal shares and weights become counts first, then the closest halving")
    func weights() throws {
        let equal = try BisectionPlanner.plan(source: small, request: .equal([board("A"), board("B")]), levels: 2)
        #expect(equal.isExact)
        #expect(equal.allocations.map(\.range) == [leaves(0, 16), leaves(16, 32)])
        let weighted = try BisectionPlanner.plan(source: small, request: .weights(try ShareRequest.parseAmounts("A:3,B:1")), levels: 2)
        // 24/8 asked; halving [1, 32) gives 16/16, then the source halves again: A keeps 8.
        #expect(!weighted.isExact)
        try expectBisection(weighted, from: small, levels: 2)
    }

    @Test("With one level the probe signature spends a top-level leaf, which moves the split")
    func oneLevel() throws {
        let source = try ShareSource(board: board("A"), range: leaves(0, 32), next: 0)
        let plan = try BisectionPlanner.plan(source: source, request: .exact(try ShareRequest.parseAmounts("B:16")), levels: 1)
        // Probe at 0, next 1: floor((1 + 32) / 2) = 16.
        #expect(plan.steps == [.init(source: board("A"), destination: board("B"), range: leaves(16, 32))])
        #expect(plan.isExact)
        let shifted = try BisectionPlanner.plan(source: try ShareSource(board: board("A"), range: leaves(0, 32), next: 1),
                                                request: .exact(try ShareRequest.parseAmounts("B:16")), levels: 1)
        // Probe at 1, next 2: floor(34 / 2) = 17.
        #expect(shifted.steps.map(\.range) == [leaves(17, 32)])
        #expect(shifted.allocations.map(\.difference) == [0, -1])
    }

    @Test("Refusals: the SX1 planner's, too few leaves to halve, too many boards")
    func refusals() throws {
        #expect(throws: SharePlanError.duplicateBoard(board("B"))) {
            try BisectionPlanner.plan(source: small, request: .exact(try ShareRequest.parseAmounts("B:5,B:6")), levels: 2)
        }
        let nearlyUsed = try ShareSource(board: board("A"), range: leaves(0, 32), next: 30)
        #expect(throws: SharePlanError.self) {
            try BisectionPlanner.plan(source: nearlyUsed, request: .exact(try ShareRequest.parseAmounts("B:1,C:1")), levels: 2)
        }
        let many = (1...9).map { "B\($0):1" }.joined(separator: ",")
        #expect(throws: SharePlanError.tooManyBoardsForBisection(9)) {
            try BisectionPlanner.plan(source: try ShareSource(board: board("A"), range: leaves(0, 1024), next: 1),
                                      request: .exact(try ShareRequest.parseAmounts(many)), levels: 2)
        }
    }

    /// Plays the steps as the firmware halves (probe, then floor((q + end) / 2)) and checks
    /// they land on the plan's allocations: disjoint, covering the source's range.
    private func expectBisection(_ plan: BisectionPlan, from source: ShareSource, levels: Int) throws {
        var held: [BoardName: (range: LeafRange, next: UInt32)] = [source.board: (source.range, source.next)]
        for step in plan.steps {
            let from = try #require(held[step.source])
            let probed = levels == 1 ? from.next + 1 : from.next
            let mid = (probed + from.range.end) / 2
            #expect(step.range == leaves(mid, from.range.end))
            #expect(held[step.destination] == nil)
            held[step.source] = (leaves(from.range.start, mid), probed)
            held[step.destination] = (step.range, levels > 1 ? mid + 1 : mid)
        }
        for allocation in plan.allocations {
            #expect(held[allocation.board]?.range == allocation.range)
        }
        let ranges = held.values.map(\.range).sorted()
        #expect(ranges.first?.start == source.range.start && ranges.last?.end == source.range.end)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.end == b.start) }
    }
}
