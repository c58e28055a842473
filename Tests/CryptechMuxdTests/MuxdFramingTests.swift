@testable import CryptechMuxd
import CryptechTransport
import HalRPC
import Testing

/// Frames the board would drop without a word (docs/wire-protocol.md §3.2, §13 items 6 and 9) get an
/// answer from the muxd, or a closed connection: a client never waits in silence.
@Suite(.serialized) struct MuxdFramingTests {
    /// A request header: function `function`, client word `client`.
    private func header(_ function: UInt32, client: UInt32) -> [UInt8] {
        withUnsafeBytes(of: function.bigEndian, Array.init) + withUnsafeBytes(of: client.bigEndian, Array.init)
    }

    private func errorReply(_ function: UInt32, client: UInt32, _ status: HALError) -> RawSocketClient.Next {
        .frame(ReplyHeader.errorReply(functionCode: function, client: ClientHandle(rawValue: client), status: status))
    }

    /// GET_VERSION through `client`: the connection still works.
    private func stillWorks(_ client: RawSocketClient) async throws {
        try await client.send(header(FunctionNumber.getVersion.rawValue, client: 0))
        #expect(await client.next() == .frame([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0]))
    }

    @Test func anOversizeFrameIsAnsweredWithPacketOverflowAndTheConnectionGoesOn() async throws {
        let harness = try await MuxdHarness.start()
        let client = try RawSocketClient(path: harness.rpcSocket)
        let oversize = header(FunctionNumber.pkeyImport.rawValue, client: 0xAABB_CCDD) + [UInt8](repeating: 0x55, count: 20_000)
        try await client.send(oversize)
        #expect(await client.next() == errorReply(FunctionNumber.pkeyImport.rawValue, client: 0xAABB_CCDD, .rpcPacketOverflow))
        try await stillWorks(client)
        let stats = try #require(await harness.muxd.statistics()["test"])
        #expect(stats.clientFlow.values.map(\.damagedFramesAnswered) == [1])
        #expect(harness.board.requests == 2, "the board saw LOGOUT_ALL and the GET_VERSION, not the damaged frame")
        await harness.stop()
    }

    @Test func aBadEscapeAfterTheHeaderIsAnsweredWithProtocolError() async throws {
        let harness = try await MuxdHarness.start()
        let client = try RawSocketClient(path: harness.rpcSocket)
        try await client.write([SLIP.end] + header(FunctionNumber.pkeySign.rawValue, client: 7) + [1, 2, SLIP.esc, 0x41, 3, SLIP.end])
        #expect(await client.next() == errorReply(FunctionNumber.pkeySign.rawValue, client: 7, .rpcProtocolError))
        try await stillWorks(client)
        await harness.stop()
    }

    @Test func aBadEscapeBeforeTheHeaderClosesTheConnection() async throws {
        let harness = try await MuxdHarness.start()
        let client = try RawSocketClient(path: harness.rpcSocket)
        try await client.write([SLIP.end, 0, 0, SLIP.esc, 0x41, 0, 0, 0, 0, 0, 0, SLIP.end])
        #expect(await client.next(timeout: .seconds(5)) == .closed)
        await harness.stop()
    }

    @Test(arguments: [[UInt8]([1]), [0, 0, 0], [0, 0, 0, 0, 0, 0, 0]])
    func aFrameShorterThanAHeaderClosesTheConnection(frame: [UInt8]) async throws {
        let harness = try await MuxdHarness.start()
        let client = try RawSocketClient(path: harness.rpcSocket)
        try await client.send(frame)
        #expect(await client.next(timeout: .seconds(5)) == .closed)
        let stats = try #require(await harness.muxd.statistics()["test"])
        #expect(stats.droppedRequests == 1)
        #expect(stats.traffic.requests == 0, "nothing went to the board")
        await harness.stop()
    }

    @Test func emptyFramesBetweenRequestsAreNotShortFrames() async throws {
        // END END is how every sender starts a frame; it must not end a connection.
        let harness = try await MuxdHarness.start()
        let client = try RawSocketClient(path: harness.rpcSocket)
        try await client.write([SLIP.end, SLIP.end, SLIP.end])
        try await stillWorks(client)
        await harness.stop()
    }

    @Test func theMuxdsAnswerWaitsForTheRepliesOwedBeforeIt() async throws {
        // One write: a request for the board, then a damaged frame. The damaged frame is
        // decoded long before the board answers; its answer still comes second.
        let harness = try await MuxdHarness.start()
        let client = try RawSocketClient(path: harness.rpcSocket)
        let random = RPC.GetRandom.encodeRequest(.init(count: 64), client: ClientHandle(rawValue: 1))
        let oversize = header(FunctionNumber.hashUpdate.rawValue, client: 2) + [UInt8](repeating: 0, count: 17_000)
        try await client.write(SLIPEncoder.encode(random) + SLIPEncoder.encode(oversize) + SLIPEncoder.encode(random))
        guard case .frame(let first) = await client.next() else {
            Issue.record("no first reply")
            await harness.stop()
            return
        }
        #expect(try RPC.GetRandom.decodeReply(first, for: .init(count: 64), client: ClientHandle(rawValue: 1)).get().bytes == FakeBoard.pattern(64))
        #expect(await client.next() == errorReply(FunctionNumber.hashUpdate.rawValue, client: 2, .rpcPacketOverflow))
        guard case .frame(let third) = await client.next() else {
            Issue.record("no third reply")
            await harness.stop()
            return
        }
        #expect(try RPC.GetRandom.decodeReply(third, for: .init(count: 64), client: ClientHandle(rawValue: 1)).get().bytes == FakeBoard.pattern(64))
        await harness.stop()
    }

    @Test func damagedFramesBehindASlowRequestWaitBoundedAndAreAnsweredInOrder() async throws {
        // The board does not answer, so the muxd's answers to 1,000 bad frames must wait behind
        // the request's timeout; past 64 of them it stops taking the client's bytes.
        var timeouts = TimeoutPolicy()
        // Long enough for the test to look at what is held before the deadline, however
        // loaded the machine.
        timeouts[.short] = .seconds(5)
        let harness = try await MuxdHarness.start(timeouts: timeouts)
        harness.board.muted = true
        let client = try RawSocketClient(path: harness.rpcSocket)
        let badFrames = 1_000
        let bad = [SLIP.end] + header(FunctionNumber.hashUpdate.rawValue, client: 9) + [SLIP.esc, 0x41, SLIP.end]
        try await client.write(SLIPEncoder.encode(header(FunctionNumber.getVersion.rawValue, client: 3)) + Array((0..<badFrames).map { _ in bad }.joined()))
        try await harness.waitUntil { (await harness.muxd.statistics()["test"]?.clientFlow.values.first?.heldRequestBytes ?? 0) > 0 }
        let flow = try #require(await harness.muxd.statistics()["test"]?.clientFlow.values.first)
        #expect(flow.answersWaiting == ClientConnection.maximumAnswersWaiting)
        #expect(flow.damagedFramesAnswered == ClientConnection.maximumAnswersWaiting)
        #expect(await client.next(timeout: .seconds(60)) == errorReply(FunctionNumber.getVersion.rawValue, client: 3, .rpcTransport))
        for index in 0..<badFrames {
            let next = await client.next(timeout: .seconds(60))
            #expect(next == errorReply(FunctionNumber.hashUpdate.rawValue, client: 9, .rpcProtocolError), "answer \(index)")
            if next != errorReply(FunctionNumber.hashUpdate.rawValue, client: 9, .rpcProtocolError) { break }
        }
        let end = try #require(await harness.muxd.statistics()["test"]?.clientFlow.values.first)
        #expect(end.damagedFramesAnswered == badFrames)
        #expect(end.answersWaiting == 0 && end.heldRequestBytes == 0)
        await harness.stop()
    }
}

