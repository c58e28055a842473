import CryptechTransport
import HalRPC
import Testing

/// The client over a real pseudo-terminal, the fake board on the master side: the same
/// path (termios, SLIP, event loop) a board on USB takes.
@Suite struct HSMClientPtyTests {
    /// A pty with a fake board serving its master side.
    final class Rig: Sendable {
        let pty: PseudoTerminal
        let board = FakeAlpha()
        let boardLink: ChannelFrameLink
        let client: HSMClient

        init() async throws {
            pty = try PseudoTerminal()
            boardLink = try await pty.masterLink()
            let endpoint = HSMEndpoint.serial(devicePath: pty.slavePath, speed: 921_600)
            client = HSMClient(endpoint: endpoint, client: ClientHandle(rawValue: 0x0000_0042))
            let (board, link) = (board, boardLink)
            Task { await board.serve(link) }
        }

        /// Unplugs the "board": both ends of the pty go away.
        func unplug() async {
            await boardLink.close()
            pty.close()
        }
    }

    @Test func concurrentCallsOverAPty() async throws {
        let rig = try await Rig()
        try await HSMClientTests.hammer(rig.client, tasks: 45)
        #expect(try await rig.client.getRandom(count: RPC.GetRandom.maximumCount).count == RPC.GetRandom.maximumCount)
        #expect(await rig.client.statistics.strayFrames == 0)
        await rig.client.close()
        await rig.unplug()
    }

    @Test func timeoutOverAPty() async throws {
        let rig = try await Rig()
        await rig.board.setSilent([.getVersion])
        await #expect(throws: HSMClientError.timeout(function: .getVersion, after: .milliseconds(300), requestSent: true)) {
            try await rig.client.getVersion(timeout: .milliseconds(300))
        }
        #expect(try await rig.client.getRandom(count: 5) == [5, 6, 7, 8, 9])
        await rig.client.close()
        await rig.unplug()
    }

    @Test func waitingUntilTheBoardAnswersAsksAgainWhileUnanswered() async throws {
        let rig = try await Rig()
        await rig.board.setSilent([.getVersion])
        let waiting = Task { try await rig.client.waitUntilAnswering(patience: .seconds(600), attempt: .milliseconds(200)) }
        // The board starts answering only after it has ignored two requests.
        while await rig.board.received.filter({ $0.function == .getVersion }).count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        await rig.board.setSilent([])
        #expect(try await waiting.value == RPCLimits.version)
        await rig.client.close()
        await rig.unplug()
    }

    @Test func waitingUntilTheBoardAnswersEndsWithATimeoutOncePatienceIsSpent() async throws {
        let rig = try await Rig()
        await rig.board.setSilent([.getVersion])
        let error = await #expect(throws: HSMClientError.self) {
            try await rig.client.waitUntilAnswering(patience: .milliseconds(500), attempt: .milliseconds(200))
        }
        guard case .timeout(function: .getVersion, after: .milliseconds(200), _)? = error else {
            Issue.record("expected GET_VERSION's timeout, got \(String(describing: error))")
            return
        }
        await rig.client.close()
        await rig.unplug()
    }

    @Test func unpluggingFailsPendingCallsPromptly() async throws {
        let rig = try await Rig()
        await rig.board.setSilent([.pkeyGenerateEC])
        // Key generation's deadline is 30 minutes: a transport error proves the calls ended
        // with the link, not by their deadline.
        let pending = (0..<3).map { _ in
            Task { try await rig.client.pkeyGenerateEC(curve: .p256, flags: .digitalSignature) }
        }
        while await rig.board.received.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await rig.unplug()
        for task in pending {
            let error = await #expect(throws: HSMClientError.self) { try await task.value }
            guard case .transport(let transport)? = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                continue
            }
            #expect(transport.endpoint == rig.pty.slavePath)
        }
    }
}
