import Foundation
import MetricsTestKit
import Testing
@testable import HashSigHost

/// ``CapacityMetrics``: the capacity report as gauges, by key and board.
@Suite struct CapacityMetricsTests {
    @Test("Every board's and the key's capacity become gauges with the report's values")
    func gauges() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        try await fixture.transfer("T1", to: "B", leaves(1014, 1024), upTo: .verified)
        try await fixture.transfer("T2", to: "C", leaves(1004, 1014), upTo: .exported)
        try await fixture.transfer("T3", to: "D", leaves(1000, 1004), upTo: .planned)
        let status = ShareStatus(state: try fixture.ledger.state(of: fixture.key))
        let metrics = TestMetrics()
        CapacityMetrics.record(status, factory: metrics)

        let key = ("key", "\(fixture.key)")
        func value(_ name: String, board: String? = nil) throws -> Double? {
            try metrics.expectGauge(name, [key] + (board.map { [("board", $0)] } ?? [])).lastValue
        }
        #expect(try value(CapacityMetrics.keyLeaves) == 1024)
        #expect(try value(CapacityMetrics.keyInTransit) == 10)
        #expect(try value(CapacityMetrics.keyAlarms) == 0)
        // A holds [0, 1004) with next index 1, four of its free leaves reserved for T3; B holds
        // [1014, 1024), its test signature at 1015.
        #expect(try value(CapacityMetrics.boardAllocated, board: "A") == 1004)
        #expect(try value(CapacityMetrics.boardUsed, board: "A") == 1)
        #expect(try value(CapacityMetrics.boardFree, board: "A") == 1003)
        #expect(try value(CapacityMetrics.boardReserved, board: "A") == 4)
        #expect(try value(CapacityMetrics.boardAvailable, board: "A") == 999)
        #expect(try value(CapacityMetrics.boardAllocated, board: "B") == 10)
        for board in status.boards {
            let capacity = board.capacity
            let name = board.board.rawValue
            #expect(try value(CapacityMetrics.boardFree, board: name) == Double(capacity.free))
            #expect(try value(CapacityMetrics.boardUsed, board: name) == Double(capacity.used))
            #expect(try value(CapacityMetrics.boardBurned, board: name) == Double(capacity.burned))
            #expect(try value(CapacityMetrics.boardAvailable, board: name) == Double(capacity.available))
        }
        #expect(try value(CapacityMetrics.keyAvailable) == Double(status.totals.available))
        #expect(try value(CapacityMetrics.keyOutsideLedger) == Double(status.totals.outsideLedger))
    }

    @Test("Every gauge is in the catalogue, and the README documents each")
    func catalogue() async throws {
        let fixture = try await LedgerFixture()
        defer { fixture.cleanup() }
        let metrics = TestMetrics()
        CapacityMetrics.record(ShareStatus(state: try fixture.ledger.state(of: fixture.key)), factory: metrics)
        #expect(Set(metrics.recorders.map(\.label)) == Set(CapacityMetrics.catalogue.map(\.name)))
        let readme = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardized.path, encoding: .utf8)
        for metric in CapacityMetrics.catalogue {
            #expect(readme.contains("| `\(metric.name)` |"), "README: no row for \(metric.name)")
        }
    }
}
