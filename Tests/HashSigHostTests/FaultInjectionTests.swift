#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HalRPC
import HashSig
import Testing
@testable import HashSigHost

/// The whole share story over lossy links (issue 17): every board's link drops and damages
/// replies (`cryptech-emulator --fault`, fixed seeds), directly and through `cryptech-muxd`,
/// on SX1 and on stock firmware. Many keys share three boards; each key's export must finish
/// within three runs of `cryptech share export`, the signer pool's signatures must verify, the
/// audit must be clean, and no output may report a damaged reply as a board's error code.
@Suite("Fault injection: lossy links", .serialized,
       .enabled(if: try BuiltExecutables.present(EmulatorBoard.executable, CryptechCLI.executable, MuxdExecutable.path),
                "build cryptech-emulator, cryptech-muxd and cryptech first"))
struct FaultInjectionTests {
    /// What every board link does to replies, as the issue's done-when states it.
    static let faults = "drop=0.05,corrupt=0.02"
    static let request = ["--from", "A", "--shares", "A:16,B:8,C:8"]
    static let pinVariable = "HASHSIGHOST_TEST_PIN"
    static let runsAllowed = 3
    /// A sign run whose reply is lost fails (the leaf is journalled as spent, never signed
    /// with again); with fixed seeds a link may lose several replies in a row, as a real
    /// one can, so a signature gets a few more tries than an export.
    static let signAttempts = 5
    static let signaturesPerKey = 1

    /// One run of the story: the firmware, the path to the boards, and the faults' seed.
    struct Scenario: Sendable, CustomTestStringConvertible {
        var stock: Bool
        var throughMuxd: Bool
        var seed: UInt64
        var testDescription: String { "\(stock ? "stock" : "SX1") boards, \(throughMuxd ? "through the muxd" : "direct links")" }
    }

    /// 4 × 8 keys: ≥ 30 keys in all, each firmware directly and through the muxd.
    static let scenarios = [
        Scenario(stock: false, throughMuxd: false, seed: 0x5EED_0001), Scenario(stock: false, throughMuxd: true, seed: 0x5EED_0002),
        Scenario(stock: true, throughMuxd: false, seed: 0x5EED_0003), Scenario(stock: true, throughMuxd: true, seed: 0x5EED_0004),
    ]

    @Test("Every export finishes within 3 runs; nothing burned on SX1, every burn on stock boards in the ledger; signatures verify; audit clean",
          arguments: scenarios)
    func lossyLinks(_ scenario: Scenario) async throws {
        try await story(keys: 8, stock: scenario.stock, throughMuxd: scenario.throughMuxd, seed: scenario.seed)
    }

    /// `keys` keys made on board A with clean links; then every link turns lossy and each key
    /// is shared out and signed with; then, on clean links again, the ledger and boards are
    /// checked and audited.
    private func story(keys: Int, stock: Bool, throughMuxd: Bool, seed: UInt64) async throws {
        try await BoardFixture.with(["A", "B", "C"], lms: .sha256N32H5, stock: stock ? ["A", "B", "C"] : []) { first in
            var fixtures = [first]
            for _ in 1..<keys { fixtures.append(try await BoardFixture(anotherKeyOn: first)) }
            let directory = first.directory
            for (index, board) in first.boards.enumerated() {
                try await board.relaunch(log: directory.file("board-\(board.name)-lossy.log"),
                                         faults: Self.faults + ",seed=\(seed &+ UInt64(index))")
            }
            var muxd: Process?
            var addresses = first.boards.map { "\($0.name)=\($0.ttyPath)" }
            if throughMuxd {
                let started = try await Self.startMuxd(first.boards, in: directory)
                muxd = started.process
                addresses = started.addresses
            }
            let environment = [Self.pinVariable: String(decoding: EmulatorBoard.pin.bytes, as: UTF8.self)]
            let boardArguments = addresses.flatMap { ["--board", $0] }
            var outputs: [String] = []
            var runsPerKey: [Int] = []
            var signatures: [(fixture: BoardFixture, message: [UInt8], signature: [UInt8])] = []
            /// One signer-pool journal per key: the audit reads one key's.
            func journal(_ fixture: BoardFixture) -> String { directory.file("pool-\(fixture.key.description.prefix(8)).journal") }
            do {
                for fixture in fixtures {
                    let common = ["--ledger", fixture.ledger.path, "--key", fixture.key.description, "--pin-env", Self.pinVariable] + boardArguments
                    var runs = 0
                    while runs < Self.runsAllowed, try await !fixture.reopenedState().isSettled {
                        runs += 1
                        // Stock boards halve: the request is met as nearly as bisection can.
                        let run = try CryptechCLI.run(["share", "export"] + common + Self.request + (stock ? ["--accept-reachable"] : []),
                                                      environment: environment)
                        outputs.append("share export: " + run.output)
                    }
                    runsPerKey.append(runs)
                    #expect(try await fixture.reopenedState().isSettled, "key \(fixture.key) unfinished after \(runs) runs: \(outputs.suffix(runs))")
                    for number in 0..<Self.signaturesPerKey {
                        let message = Array("fault injection \(fixture.key) #\(number)".utf8)
                        let messageFile = directory.file("message")
                        let signatureFile = directory.file("signature")
                        try Data(message).write(to: URL(fileURLWithPath: messageFile))
                        try? FileManager.default.removeItem(atPath: signatureFile)
                        // A sign request whose reply is lost is never sent again by the
                        // command (it is journalled as indeterminate): run it again.
                        var attempts: [String] = []
                        for _ in 0..<Self.signAttempts {
                            let run = try CryptechCLI.run(["share", "sign"] + common + ["--message", messageFile, "--sig", signatureFile,
                                                                                       "--journal", journal(fixture)],
                                                          environment: environment)
                            outputs.append("share export: " + run.output)
                            attempts.append(run.output)
                            if run.status == 0 { break }
                        }
                        let signature = try #require(FileManager.default.contents(atPath: signatureFile), "no signature for \(fixture.key) #\(number): \(attempts)")
                        signatures.append((fixture, message, Array(signature)))
                    }
                }
            } catch {
                muxd.map(Self.stop)
                throw error
            }
            muxd.map(Self.stop)
            print("fault injection (\(stock ? "stock" : "SX1"), \(throughMuxd ? "through the muxd" : "direct")): runs per key \(runsPerKey), "
                + "\(signatures.count) signatures")

            for output in outputs {
                #expect(!Self.reportsBoardError(output), "a reply damaged on the link reported as the board's answer: \(output)")
            }
            for (fixture, message, signature) in signatures {
                #expect(try fixture.publicKey.verify(signature: signature, for: message) == .valid, "key \(fixture.key)")
            }
            // Clean links for the checks: what the boards hold, not what a lossy link says.
            for board in first.boards { try await board.restart(log: directory.file("board-\(board.name)-check.log")) }
            for board in first.boards { await board.release() }
            for fixture in fixtures {
                try await fixture.checkInvariants(final: true, stock: stock, restarted: true)
                let state = try await fixture.reopenedState()
                if !stock { #expect(!state.orderedTransfers.contains { $0.state == .burned }) }
                let audit = try CryptechCLI.run(["share", "audit", "--ledger", fixture.ledger.path, "--key", fixture.key.description,
                                                 "--journal", journal(fixture), "--pin-env", Self.pinVariable] + first.boards.flatMap { ["--board", "\($0.name)=\($0.ttyPath)"] },
                                                environment: environment)
                #expect(audit.status == 0, "audit of \(fixture.key): \(audit.output)")
            }
        }
    }

    /// Whether a command's output names a board error code (`… (HAL_ERROR_…)`, or a status no
    /// board sends): what a damaged reply must never be reported as. A muxd's transport error,
    /// its word for a lost reply, is not one.
    static func reportsBoardError(_ output: String) -> Bool {
        output.replacingOccurrences(of: "(HAL_ERROR_RPC_TRANSPORT)", with: "").contains("(HAL_ERROR_")
            || output.contains("unknown HAL error")
    }

    /// Starts `cryptech-muxd` serving each board's tty on its own socket.
    /// - Returns: the process, and each board's `--board` address for the CLI.
    private static func startMuxd(_ boards: [EmulatorBoard], in directory: TemporaryDirectory) async throws -> (process: Process, addresses: [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MuxdExecutable.path)
        let sockets = boards.map { directory.file("\($0.name).rpc") }
        process.arguments = zip(boards, sockets).flatMap { board, socket in ["--board", "name=\(board.name),rpc-device=\(board.ttyPath),rpc-socket=\(socket)"] }
            + ["--log-file", directory.file("muxd.log")]
        var environment = ProcessInfo.processInfo.environment
        for variable in ["CRYPTECH_RPC_CLIENT_SERIAL_DEVICE", "CRYPTECH_CTY_CLIENT_SERIAL_DEVICE", "CRYPTECH_RPC_CLIENT_SOCKET_NAME"] {
            environment[variable] = nil
        }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Until every socket exists (a minute: a hang guard).
        let deadline = ContinuousClock.now + .seconds(60)
        while !sockets.allSatisfy(FileManager.default.fileExists(atPath:)) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                stop(process)
                throw EmulatorError("cryptech-muxd did not open its sockets (log: \(directory.file("muxd.log")))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return (process, zip(boards, sockets).map { "\($0.name)=socket:\($1)" })
    }

    private static func stop(_ process: Process) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

/// The built `cryptech-muxd`, beside the emulator.
enum MuxdExecutable {
    static var path: String { EmulatorBoard.buildDirectory + "/cryptech-muxd" }
}
