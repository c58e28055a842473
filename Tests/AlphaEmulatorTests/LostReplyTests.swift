@testable import AlphaEmulator
import CryptechTransport
import HalRPC
import Synchronization
import Testing

/// Lost replies on a direct link, with the emulator's own fault injection (`--fault drop=…`,
/// a fixed seed): the lost-reply probe finds them without waiting out the deadline; a read is
/// sent again and succeeds, a state-changing call is not and reports an unknown outcome (a LOGIN asks IS_LOGGED_IN instead)
/// (issue 17, items 1 and 2).
@Suite struct LostReplyTests {
    static let dropProbability = 0.5

    /// The first seed whose fault sequence drops the first reply and keeps the next two,
    /// found with the emulator's own generator: the call's reply is lost, the probe's answer
    /// and the next request's reply come through.
    static func seedDroppingOnlyTheFirstReply() -> UInt64 {
        let plan = { (seed: UInt64) in FaultPlan(dropProbability: dropProbability, seed: seed) }
        return (0..<1000).first { seed in
            var injector = FaultInjector(plan: plan(UInt64(seed)))
            let decisions = (0..<3).map { _ in injector.apply(to: [0]) }
            return decisions[0] == .drop && decisions[1] != .drop && decisions[2] != .drop
        }.map(UInt64.init)!
    }

    /// The waits a client reported.
    final class WaitLog: Sendable {
        private let events = Mutex<[WaitEvent]>([])

        func record(_ event: WaitEvent) { events.withLock { $0.append(event) } }

        /// The attempt number of each wait begun.
        var attempts: [Int] {
            events.withLock { $0.compactMap { if case let .began(_, _, _, attempt) = $0 { attempt } else { nil } } }
        }
    }

    /// A client on the board's tty that probes for lost replies and records its waits.
    static func client(_ board: Board, log: WaitLog) -> HSMClient {
        HSMClient(connector: SerialConnector(path: board.process.rpcPath), checksReplyClient: true, probesLostReplies: true,
                  observer: { log.record($0) })
    }

    @Test func aLostReplyToAReadIsFoundByTheProbeAndTheReadRepeated() async throws {
        let seed = Self.seedDroppingOnlyTheFirstReply()
        let board = try Board.launch(pins: false, ["--fault", "drop=\(Self.dropProbability),seed=\(seed)"])
        defer { board.stop() }
        let log = WaitLog()
        let client = Self.client(board, log: log)
        // The derived deadline stays the whole wait's bound; the probe ends the first attempt
        // as soon as the board has answered the request sent behind it.
        #expect(try await client.getVersion() == RPCLimits.version)
        #expect(log.attempts == [1, 2])
        #expect(await client.statistics.timeouts == 0, "found by the probe, not by the deadline")
        await client.close()
    }

    @Test func aLostReplyToALoginIsNotRepeatedAndItsOutcomeIsAskedFor() async throws {
        let seed = Self.seedDroppingOnlyTheFirstReply()
        let board = try Board.launch(["--fault", "drop=\(Self.dropProbability),seed=\(seed)"])
        defer { board.stop() }
        let log = WaitLog()
        let client = Self.client(board, log: log)
        // The board did log the client in (only the reply was lost): IS_LOGGED_IN, a read,
        // says so, and the call succeeds.
        try await client.login(user: User.normal, pin: TestPINs.user)
        #expect(log.attempts == [1, 1], "a LOGIN is a PIN check: never sent twice; then one IS_LOGGED_IN")
        await client.close()
    }
}
