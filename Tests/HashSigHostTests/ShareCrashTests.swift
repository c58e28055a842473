#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HalRPC
import HashSig
import RandomInputs
import EtcdLedger
import EtcdTestSupport
import TestProcesses
import Testing
@testable import HashSigHost

/// The `cryptech` executable, run as a separate process so that it can be killed.
enum CryptechCLI {
    static var executable: String {
        ProcessInfo.processInfo.environment["CRYPTECH_CLI"] ?? EmulatorBoard.buildDirectory + "/cryptech"
    }

    struct Run {
        var status: Int32
        /// Whether SIGKILL ended it.
        var killed: Bool
        var output: String
    }

    /// Runs `cryptech` with `arguments`; `killAfter` sends SIGKILL after that long if it is
    /// still running (a crash at a random point).
    static func run(_ arguments: [String], environment: [String: String] = [:], killAfter: Duration? = nil) throws -> Run {
        let run = try ChildProcess.run(executable, arguments, environment: environment, mergingStandardError: true) { process in
            guard let killAfter else { return }
            let (seconds, attoseconds) = killAfter.components
            usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
            if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        }
        return Run(status: run.status, killed: run.signal == SIGKILL, output: run.stdout)
    }
}

/// Kills `cryptech share export` (SIGKILL) at every step of the export protocol and at random
/// points, then runs it again, and checks the ledger and the boards after every kill and at the
/// end: no overlapping ranges, no issued range lost, and the boards hold what the ledger says.
@Suite("Export crash injection", .serialized,
       .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable, CryptechCLI.executable), "build cryptech-emulator and cryptech first"))
struct ShareCrashTests {
    static let request = ["--from", "A", "--shares", "A:16,B:8,C:8"]
    static let pinVariable = "HASHSIGHOST_TEST_PIN"

    /// One scenario: fresh boards and key, one killed run, then runs until nothing is unfinished.
    /// - Parameter stock: the boards run the stock firmware: the request is carried out by
    ///   bisection, A -> B, then B -> C.
    /// - Parameter outcomes: counts of how the scenario's transfers ended, by state.
    /// - Returns: how many runs were killed.
    private func scenario(crashAt: String?, killAfter: Duration?, stock: Bool = false, ledgerLocation: String? = nil,
                          outcomes: inout [TransferState: Int]) async throws -> Int {
        return try await BoardFixture.with(["A", "B", "C"], lms: .sha256N32H5, stock: stock ? ["A", "B", "C"] : [],
                                           ledgerLocation: ledgerLocation) { fixture in
            var common = ["share", "export", "--ledger", fixture.ledger.path, "--pin-env", Self.pinVariable]
            if ledgerLocation != nil { common += ["--etcd-lock-ttl", "\(EtcdTestCluster.minimumLeaseSeconds)"] }
            for board in fixture.boards { common += ["--board", "\(board.name)=\(board.ttyPath)"] }
            let arguments = common + Self.request
            let environment = [Self.pinVariable: String(decoding: EmulatorBoard.pin.bytes, as: UTF8.self)]
            var kills = 0
            for board in fixture.boards { await board.release() }
            let first = try CryptechCLI.run(arguments, environment: environment.merging(crashAt.map { ["CRYPTECH_TEST_CRASH_AT": $0] } ?? [:]) { $1 },
                                            killAfter: killAfter)
            if first.killed { kills += 1 }
            if crashAt != nil { #expect(first.killed, "no crash at \(crashAt!): \(first.output)") }
            try await fixture.checkInvariants(final: false, stock: stock)
            var runs = 0
            while try await !fixture.reopenedState().isSettled {
                runs += 1
                // With a shared ledger, another host carries on: `--resume` once anything was
                // planned. It may first find the killed run's lock, until its lease runs out.
                let planned = try await !fixture.reopenedState().transferOrder.isEmpty
                let resume = ledgerLocation != nil && planned
                let again = try await Self.runWaitingForLock(resume ? common + ["--resume"] : arguments, environment: environment)
                #expect(!again.killed)
                guard runs < 4 else {
                    Issue.record("still unfinished after \(runs) runs: \(again.output)")
                    break
                }
            }
            try await fixture.checkInvariants(final: true, stock: stock)
            for transfer in try await fixture.reopenedState().orderedTransfers { outcomes[transfer.state, default: 0] += 1 }
            if let killAfter {
                // What a kill at a random point still costs, and why, for the run's log.
                for case .burned(let burn) in try await ShareLedger(store: LedgerLocation.store(for: fixture.ledger.path)).records.map(\.event) {
                    print("export crash injection: burned after a kill at \(killAfter): \(burn.reason)")
                }
            }
            return kills
        }
    }

    /// Runs `cryptech`, again while it finds the export lock held by a killed run whose lease
    /// has not run out yet (an etcd ledger; a file's lock goes with the process).
    static func runWaitingForLock(_ arguments: [String], environment: [String: String]) async throws -> CryptechCLI.Run {
        var attempts = 0
        while true {
            let run = try CryptechCLI.run(arguments, environment: environment)
            attempts += 1
            guard run.output.contains("another process is exporting"), attempts < 120 else { return run }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// One line for the run's log: how many kills, and how the transfers ended.
    static func summarize(_ what: String, kills: Int, outcomes: [TransferState: Int]) {
        print("export crash injection, \(what): \(kills) kills; transfers ended "
            + outcomes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }

    @Test("SIGKILL at every step of the export protocol and at random points, 100 times or more; re-runs converge")
    func crashes() async throws {
        var kills = 0
        var scenarios = 0
        var outcomes: [TransferState: Int] = [:]
        for step in ExportStep.allCases {
            for occurrence in step == .planned ? [1] : [1, 2] {
                kills += try await scenario(crashAt: "\(step.rawValue):\(occurrence)", killAfter: nil, outcomes: &outcomes)
                scenarios += 1
            }
        }
        #expect(kills == scenarios)
        var random = SplitMix64(seed: 0x5EED)
        var attempts = 0
        var randomKills = 0
        // Counted apart, as for the stock firmware; with two-phase SX1 neither burns a share.
        var randomOutcomes: [TransferState: Int] = [:]
        while kills + randomKills < 100, attempts < 400 {
            attempts += 1
            let delay = Duration.milliseconds(Int64.random(in: 20...900, using: &random))
            randomKills += try await scenario(crashAt: nil, killAfter: delay, outcomes: &randomOutcomes)
        }
        #expect(kills + randomKills >= 100)
        Self.summarize("at every step", kills: kills, outcomes: outcomes)
        Self.summarize("at random points", kills: randomKills, outcomes: randomOutcomes)
        #expect(outcomes[.burned] == nil && randomOutcomes[.burned] == nil, "a kill at export-replied burns nothing on SX1")
    }

    @Test("Stock firmware: SIGKILL at every step of A -> B -> C by bisection and at random points, 100 times or more; no leaf in two places")
    func crashesOnStockFirmware() async throws {
        var kills = 0
        var outcomes: [TransferState: Int] = [:]
        for step in ExportStep.allCases {
            for occurrence in [1, 2] {
                kills += try await scenario(crashAt: "\(step.rawValue):\(occurrence)", killAfter: nil, stock: true, outcomes: &outcomes)
            }
        }
        var random = SplitMix64(seed: 0x57_0C)
        var attempts = 0
        var randomKills = 0
        // Counted apart: a kill at a chosen step may burn a share by design (the export reply
        // in memory only); at random points, burns measure the windows that remain.
        var randomOutcomes: [TransferState: Int] = [:]
        while kills + randomKills < 100, attempts < 400 {
            attempts += 1
            let delay = Duration.milliseconds(Int64.random(in: 20...900, using: &random))
            randomKills += try await scenario(crashAt: nil, killAfter: delay, stock: true, outcomes: &randomOutcomes)
        }
        #expect(kills + randomKills >= 100)
        Self.summarize("at every step", kills: kills, outcomes: outcomes)
        Self.summarize("at random points", kills: randomKills, outcomes: randomOutcomes)
    }

    @Test("etcd ledger: SIGKILL at every step and at random points, 50 times or more; another process resumes once the lease runs out; no leaf in two places")
    func crashesWithEtcdLedger() async throws {
        try await EtcdTestCluster.with(members: 3) { cluster in
            let members = cluster.endpoints.map(\.description).joined(separator: ",")
            var kills = 0
            var scenarios = 0
            var outcomes: [TransferState: Int] = [:]
            for step in ExportStep.allCases {
                for occurrence in step == .planned ? [1] : [1, 2] {
                    scenarios += 1
                    kills += try await scenario(crashAt: "\(step.rawValue):\(occurrence)", killAfter: nil,
                                                ledgerLocation: "etcd://\(members)/crash/\(scenarios)", outcomes: &outcomes)
                }
            }
            #expect(kills == scenarios)
            var random = SplitMix64(seed: 0xE7CD)
            var randomKills = 0
            var randomOutcomes: [TransferState: Int] = [:]
            var attempts = 0
            while kills + randomKills < 50, attempts < 200 {
                attempts += 1
                scenarios += 1
                let delay = Duration.milliseconds(Int64.random(in: 20...900, using: &random))
                randomKills += try await scenario(crashAt: nil, killAfter: delay, ledgerLocation: "etcd://\(members)/crash/\(scenarios)",
                                                  outcomes: &randomOutcomes)
            }
            #expect(kills + randomKills >= 50)
            Self.summarize("etcd ledger, at every step", kills: kills, outcomes: outcomes)
            Self.summarize("etcd ledger, at random points", kills: randomKills, outcomes: randomOutcomes)
            #expect(outcomes[.burned] == nil && randomOutcomes[.burned] == nil)
        }
    }
}
