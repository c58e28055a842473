import AlphaEmulator
import BlockingWork
import Foundation
import HalRPC
import Testing

/// Every wait for a board over 2 s is visible, with the deadline it is bounded by (issue 17,
/// item 1): `cryptech` against an emulator that holds each reply 2.5 s (`--fault delay=`).
/// stderr is a pipe here, so the waits are written as lines.
@Suite("cryptech wait lines (built binary)", .enabled(if: try BuiltExecutables.present(CryptechCLI.executable), "build cryptech first"))
struct WaitLineCLITests {
    @Test func aLongWaitIsShownWithItsDeadline() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let board = try EmulatorProcess.launch(arguments: ["--state-dir", directory.file("board"), "--fault", "delay=2500"],
                                               standardError: directory.file("board.log"))
        defer { board.terminate() }
        // Each run blocks for seconds: off the tests' two-thread cooperative pool.
        let derived = try await offThePool { try CryptechCLI.run(["version", "--device", board.rpcPath]) }
        #expect(derived.status == 0, "\(derived.output)")
        let deadline = Int(RPC.GetVersion.derivedDeadline(for: NoArguments()).components.seconds)
        #expect(derived.output.contains("cryptech: waiting for board \(board.rpcPath): GET_VERSION, "), "\(derived.output)")
        #expect(derived.output.contains(" s (deadline \(deadline) s)\n"), "\(derived.output)")
        let given = try await offThePool { try CryptechCLI.run(["version", "--device", board.rpcPath, "--timeout", "45"]) }
        #expect(given.status == 0, "\(given.output)")
        #expect(given.output.contains(" s (deadline 45 s)\n"), "--timeout replaces the derived deadline: \(given.output)")
    }
}
