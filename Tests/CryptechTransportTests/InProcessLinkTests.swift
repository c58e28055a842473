import CryptechTransport
import Testing

@Suite struct InProcessLinkTests {
    @Test func framesCrossBothWays() async throws {
        let (host, board) = InProcessLink.pair()
        try await host.send([1])
        try await board.send([2])
        #expect(try await board.receive(timeout: .seconds(1)) == [1])
        #expect(try await host.receive(timeout: .seconds(1)) == [2])
    }

    @Test func timeoutThenFrame() async throws {
        let (host, board) = InProcessLink.pair()
        let error = await #expect(throws: TransportError.self) { try await host.receive(timeout: .milliseconds(20)) }
        #expect(error?.code == .timeout)
        try await board.send([7])
        #expect(try await host.receive(timeout: .seconds(1)) == [7])
    }

    @Test func closingFailsAWaitingReceiveAtOnce() async throws {
        let (host, board) = InProcessLink.pair()
        let waiting = Task { try await host.receive(timeout: nil) }
        try await Task.sleep(for: .milliseconds(20))
        await board.close()
        let error = await #expect(throws: TransportError.self) { _ = try await waiting.value }
        #expect(error?.code == .lost)
        let sendError = await #expect(throws: TransportError.self) { try await host.send([1]) }
        #expect(sendError?.code == .closed)
    }

    @Test func cancellationEndsAWaitingReceive() async throws {
        let (host, _) = InProcessLink.pair()
        let task = Task { try await host.receive(timeout: nil) }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }

    @Test func framesQueuedBeforeCloseAreStillDelivered() async throws {
        let (host, board) = InProcessLink.pair()
        try await board.send([1])
        await board.close()
        #expect(try await host.receive(timeout: .seconds(1)) == [1])
        await #expect(throws: TransportError.self) { try await host.receive(timeout: .seconds(1)) }
    }
}
