import HalRPC
import Testing
@testable import HashSigHost

/// The leaf map `share status` draws: each board's leaves by state, in columns of the top tree.
@Suite("Leaf map")
struct LeafMapTests {
    /// An H10 key (1,024 leaves) with every state, at boundaries that fall inside columns:
    /// B holds [1000, 1024) (next 1002 after its test signature); [901, 1000) is in transit to
    /// C; [777, 901) burned; [650, 777) reserved for D; A holds [0, 777) with next index 133.
    static func ledgerState() async throws -> (LedgerFixture, KeyLedgerState) {
        let fixture = try await LedgerFixture()
        try await fixture.transfer("T1", to: "B", leaves(1000, 1024), upTo: .verified)
        try await fixture.transfer("T2", to: "C", leaves(901, 1000), upTo: .exported)
        try await fixture.transfer("T3", to: "E", leaves(777, 901), upTo: .exporting)
        try await fixture.ledger.append(.burned(RangeBurned(transfer: "T3", board: board("A"), range: leaves(777, 901),
                                                      reason: "the blob was lost")), key: fixture.key)
        try await fixture.transfer("T4", to: "D", leaves(650, 777), upTo: .planned)
        try await fixture.ledger.append(.observed(BoardObservation(board: board("A"), range: leaves(0, 777), next: 133)), key: fixture.key)
        return (fixture, try fixture.ledger.state(of: fixture.key))
    }

    @Test("1,024 leaves in 64 columns of 16: each leaf counted once, in its board's state, split where ranges split")
    func bucketing() async throws {
        let (fixture, state) = try await Self.ledgerState()
        defer { fixture.cleanup() }
        // B reports next index 1010 now: the live report wins over the ledger's 1002.
        let map = LeafMap(state: state, reports: [board("B"): BoardReport(next: 1010, range: leaves(1000, 1024))])
        #expect(map.columnCount == 64)
        let columns: [LeafRange] = (0..<64).map { map.bucket($0) }
        let sixteens: [LeafRange] = (UInt32(0)..<64).map { leaves($0 * 16, $0 * 16 + 16) }
        #expect(columns == sixteens)
        #expect(map.bars.map(\.board) == [board("A"), board("B")])
        let a = map.bars[0].counts
        let b = map.bars[1].counts
        func counts(_ used: UInt32 = 0, free: UInt32 = 0, reserved: UInt32 = 0, inTransit: UInt32 = 0, burned: UInt32 = 0) -> LeafMap.Counts {
            LeafMap.Counts(used: used, free: free, reserved: reserved, inTransit: inTransit, burned: burned)
        }
        #expect(a[0] == counts(16))
        #expect(a[8] == counts(5, free: 11))                 // [128, 144): next index 133
        #expect(a[40] == counts(free: 10, reserved: 6))      // [640, 656): D's share starts at 650
        #expect(a[47] == counts(reserved: 16))
        #expect(a[48] == counts(reserved: 9, burned: 7))     // [768, 784): the burned range starts at 777
        #expect(a[56] == counts(inTransit: 11, burned: 5))   // [896, 912): in transit from 901
        #expect(a[62] == counts(inTransit: 8))               // [992, 1008): B's share starts at 1000
        #expect(a[63] == counts())
        #expect(b[61] == counts())
        #expect(b[62] == counts(8))
        #expect(b[63] == counts(2, free: 14))                // next index 1010, reported
        // Every leaf is in exactly one bar, once.
        for column in 0..<64 {
            #expect(map.bars.reduce(0) { $0 + $1.counts[column].total } == 16, "column \(column)")
        }
        let drawn = map.bars.map { bar in bar.counts.map { $0.dominant?.rawValue.first ?? " " } }
        #expect(String(drawn[0]) == String(repeating: "u", count: 8) + String(repeating: "f", count: 33)
            + String(repeating: "r", count: 8) + String(repeating: "b", count: 7) + String(repeating: "i", count: 7) + " ")
        #expect(String(drawn[1]) == String(repeating: " ", count: 62) + "uf")
    }

    @Test("A column shows the state most of its leaves are in; a tie goes to the rarer, more urgent state")
    func dominant() {
        #expect(LeafMap.Counts(used: 9, free: 7).dominant == .used)
        #expect(LeafMap.Counts(used: 8, free: 8).dominant == .used)
        #expect(LeafMap.Counts(free: 8, reserved: 8).dominant == .reserved)
        #expect(LeafMap.Counts(used: 1, inTransit: 1, burned: 1).dominant == .burned)
        #expect(LeafMap.Counts().dominant == nil)
    }

    @Test("A tree of fewer leaves than columns gets a column per leaf")
    func smallTree() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        let map = LeafMap(state: try fixture.ledger.state(of: fixture.key), columns: 2048)
        #expect(map.columnCount == 1024)
        #expect(map.bucket(5) == leaves(5, 6))
        #expect(map.bars[0].counts[0] == LeafMap.Counts(used: 1))
        #expect(map.bars[0].counts[1] == LeafMap.Counts(free: 1))
    }
}
