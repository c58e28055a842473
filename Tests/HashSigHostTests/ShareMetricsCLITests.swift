import Foundation
import Testing
@testable import HashSigHost

/// `cryptech share status --metrics-file` after a real workload: boards (software Alphas), an
/// export and signatures through the built `cryptech`, then the gauges in the text file.
@Suite("cryptech share status --metrics-file (built binaries)", .serialized,
       .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable, CryptechCLI.executable), "build cryptech-emulator and cryptech first"))
struct ShareMetricsCLITests {
    static let pinVariable = "HASHSIGHOST_TEST_PIN"

    /// The samples of a Prometheus text file, by series (`name{labels}`).
    static func samples(_ path: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            result[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return result
    }

    @Test("After an export of 8 leaves to B and 3 signatures on B, B's free-leaf gauge is 8 - 1 - 3")
    func freeLeavesAfterWorkload() async throws {
        // L = 1: every signature takes a top-level leaf, so the workload shows in the capacity.
        try await BoardFixture.with(["A", "B"], levels: 1, lms: .sha256N32H5) { fixture in
            for board in fixture.boards { await board.release() }
            let environment = [Self.pinVariable: String(decoding: EmulatorBoard.pin.bytes, as: UTF8.self)]
            let boards = fixture.boards.flatMap { ["--board", "\($0.name)=\($0.ttyPath)"] }
            let ledger = ["--ledger", fixture.ledger.path, "--pin-env", Self.pinVariable]
            let export = try CryptechCLI.run(["share", "export"] + ledger + ["--from", "A", "--shares", "A:24,B:8"] + boards,
                                             environment: environment)
            #expect(export.status == 0, "\(export.output)")
            let signatures = 3
            for index in 0..<signatures {
                let message = fixture.directory.file("message-\(index)")
                try Data("metrics workload \(index)".utf8).write(to: URL(fileURLWithPath: message))
                let sign = try CryptechCLI.run(["share", "sign"] + ledger + ["--message", message, "--sig", fixture.directory.file("sig-\(index)"),
                                                "--journal", fixture.directory.file("journal.jsonl"), "--priority", "B"] + boards,
                                               environment: environment)
                #expect(sign.status == 0, "\(sign.output)")
            }
            let file = fixture.directory.file("capacity.prom")
            let status = try CryptechCLI.run(["share", "status"] + ledger + ["--metrics-file", file, "--acknowledge-low", "--json"] + boards,
                                             environment: environment)
            #expect(status.status == 0, "\(status.output)")
            let samples = try Self.samples(file)
            let key = "key=\"\(fixture.key)\""
            // B's 8 leaves [24, 32): one signed the export's test message, three the workload.
            #expect(samples["cryptech_share_board_leaves_free{\(key),board=\"B\"}"] == "4.0", "\(samples)")
            #expect(samples["cryptech_share_board_leaves_used{\(key),board=\"B\"}"] == "\(1 + signatures).0")
            #expect(samples["cryptech_share_board_leaves_allocated{\(key),board=\"B\"}"] == "8.0")
            #expect(samples["cryptech_share_board_leaves_allocated{\(key),board=\"A\"}"] == "24.0")
            #expect(samples["cryptech_share_board_leaves_burned{\(key),board=\"B\"}"] == "0.0")
            #expect(samples["cryptech_share_key_leaves{\(key)}"] == "32.0")
            #expect(samples["cryptech_share_key_leaves_in_transit{\(key)}"] == "0.0")
            // The same numbers as the status the command printed.
            let json = String(status.output[status.output.firstIndex(of: "{")!...status.output.lastIndex(of: "}")!])
            let printed = try JSONDecoder().decode(ShareStatus.self, from: Data(json.utf8))
            for board in printed.boards {
                #expect(samples["cryptech_share_board_leaves_free{\(key),board=\"\(board.board)\"}"] == "\(board.capacity.free).0")
            }
        }
    }
}
