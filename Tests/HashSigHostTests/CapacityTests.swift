import Foundation
import HalRPC
import Testing
@testable import HashSigHost

@Suite("Capacity accounting and reconciliation")
struct CapacityTests {
    @Test("Used, free, reserved, in transit and burned add up to the whole tree")
    func accounting() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .verified)      // B holds 256
        try await fixture.transfer("T2", to: "C", leaves(640, 768), upTo: .exported)       // in transit
        try await fixture.transfer("T3", to: "D", leaves(576, 640), upTo: .planned)        // reserved on A
        try await fixture.ledger.append(.observed(BoardObservation(board: board("A"), range: leaves(0, 640), next: 100)), key: fixture.key)
        let state = try fixture.ledger.state(of: fixture.key)
        let report = CapacityReport(state: state, reports: [board("B"): BoardReport(next: 800, range: leaves(768, 1024))])
        let a = try #require(report.boards.first { $0.board == board("A") })
        #expect((a.allocated, a.used, a.free, a.reserved, a.available) == (640, 100, 540, 64, 476))
        let b = try #require(report.boards.first { $0.board == board("B") })
        #expect((b.allocated, b.used, b.free, b.available, b.nextReported) == (256, 32, 224, 224, true))
        #expect(report.totals.inTransit == 128)
        #expect(report.totals.allocated + report.totals.inTransit + report.totals.burned + report.totals.outsideLedger == 1024)
    }

    @Test("A failed export after the source shrank counts as burned, on the board and in total")
    func burned() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .exporting)
        try await fixture.ledger.append(.burned(RangeBurned(transfer: "T1", board: board("A"), range: leaves(768, 1024),
                                                      reason: "the blob was lost")), key: fixture.key)
        let report = CapacityReport(state: try fixture.ledger.state(of: fixture.key))
        #expect(report.boards.first?.burned == 256)
        #expect(report.boards.first?.allocated == 768)
        #expect(report.totals.burned == 256)
        #expect(report.totals.allocated + report.totals.burned == 1024)
    }

    @Test("Low capacity warns per board and for the key")
    func warnings() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(1014, 1024), upTo: .verified)
        let state = try fixture.ledger.state(of: fixture.key)
        let policy = CapacityPolicy(boardThreshold: 20, totalThreshold: 2000)
        let warnings = policy.warnings(for: CapacityReport(state: state))
        #expect(warnings.map(\.board) == [board("B"), nil])
        #expect(warnings[0].available == 8)
        #expect(CapacityPolicy(boardThreshold: 1, totalThreshold: 1).warnings(for: CapacityReport(state: state)).isEmpty)
    }

    @Test("Reconciliation: agreement finds nothing")
    func agreement() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        let state = try fixture.ledger.state(of: fixture.key)
        #expect(Reconciler.reconcile(BoardReport(next: 5, range: leaves(0, 1024)), board: board("A"), state: state).isEmpty)
    }

    @Test("Reconciliation: an index that went backwards is an alarm")
    func backwards() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.ledger.append(.observed(BoardObservation(board: board("A"), range: leaves(0, 1024), next: 50)), key: fixture.key)
        let findings = Reconciler.reconcile(BoardReport(next: 49, range: leaves(0, 1024)), board: board("A"),
                                            state: try fixture.ledger.state(of: fixture.key))
        #expect(findings == [.indexWentBackwards(board: board("A"), recorded: 50, reported: 49)])
        #expect(findings.allSatisfy { $0.isAlarm })
    }

    @Test("Reconciliation: an index beyond the share, or in a reserved range, is an alarm")
    func beyond() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .verified)
        try await fixture.transfer("T2", to: "C", leaves(700, 768), upTo: .planned)
        let state = try fixture.ledger.state(of: fixture.key)
        #expect(Reconciler.reconcile(BoardReport(next: 10, range: leaves(768, 1024)), board: board("B"), state: state)
            == [.indexOutsideShare(board: board("B"), next: 10, share: leaves(768, 1024))])
        #expect(Reconciler.reconcile(BoardReport(next: 701, range: leaves(0, 768)), board: board("A"), state: state)
            == [.indexInReservedRange(board: board("A"), next: 701, transfer: "T2", range: leaves(700, 768))])
    }

    @Test("Reconciliation: a range shrunk by an unfinished export is a note to resume, other changes an alarm")
    func ranges() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .exporting)
        let state = try fixture.ledger.state(of: fixture.key)
        let shrunk = Reconciler.reconcile(BoardReport(next: 3, range: leaves(0, 768)), board: board("A"), state: state)
        #expect(shrunk == [.unfinishedTransferShrankRange(board: board("A"), transfer: "T1", reported: leaves(0, 768))])
        #expect(!shrunk[0].isAlarm)
        let odd = Reconciler.reconcile(BoardReport(next: 3, range: leaves(0, 700)), board: board("A"), state: state)
        #expect(odd == [.rangeMismatch(board: board("A"), ledger: leaves(0, 1024), reported: leaves(0, 700))])
    }

    @Test("Status shows boards, transfers, totals, alarms and notes, and encodes as JSON")
    func status() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(768, 1024), upTo: .verified)
        try await fixture.transfer("T2", to: "C", leaves(700, 768), upTo: .exported)
        try await fixture.ledger.append(.alarm(LedgerAlarm(board: board("B"), kind: "index-went-backwards", message: "recorded")),
                                  key: fixture.key)
        let status = ShareStatus(state: try fixture.ledger.state(of: fixture.key),
                                 reports: [board("A"): BoardReport(next: 9, range: leaves(0, 700))],
                                 unreachable: [board("B"): "no such device"], policy: CapacityPolicy(boardThreshold: 300, totalThreshold: 0))
        #expect(status.boards.map(\.board) == [board("A"), board("B")])
        #expect(status.boards.map(\.reachable) == [true, false])
        #expect(status.boards[0].capacity.next == 9)
        #expect(status.transfers.map(\.state) == [.verified, .exported])
        #expect(status.alarms.map(\.kind) == ["index-went-backwards"])
        #expect(status.notes.contains { $0.contains("T2") })
        #expect(status.warnings.map(\.board) == [board("B")])
        #expect(status.parameters == "L=2 LMS_SHA256_M32_H10/LMOTS_SHA256_N32_W4")
        let json = String(decoding: try JSONEncoder().encode(status), as: UTF8.self)
        #expect(json.contains(#""state":"exported""#))
        let decoded = try JSONDecoder().decode(ShareStatus.self, from: Data(json.utf8))
        #expect(decoded == status)
    }
}
