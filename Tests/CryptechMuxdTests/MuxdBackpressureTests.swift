@testable import CryptechMuxd
import CryptechTransport
import HalRPC
import Testing

/// A client that sends many requests and never reads its replies cannot make the muxd hold
/// more than a fixed amount for it, and does not hold up anyone else.
@Suite(.serialized) struct MuxdBackpressureTests {
    /// What the muxd may hold for one connection: its write buffer's high mark, plus the
    /// replies to the requests the router had queued (and the one in flight) when it stopped
    /// taking them, each at most a maximal reply, escaped.
    private var replyBound: Int {
        ClientConnection.writeBufferWaterMark.high
            + (BoardRouter.maximumQueuedPerConnection + 1) * SLIPEncoder.maximumEncodedLength(SLIP.maximumPayload)
    }

    /// Bytes one read cycle can bring before reading stops: NIO reads at most 4 times of at
    /// most 64 KiB.
    private let heldBound = 4 * 65536

    @Test func aClientThatNeverReadsIsStoppedAndOthersGoOn() async throws {
        let harness = try await MuxdHarness.start()
        let greedy = try RawSocketClient(path: harness.rpcSocket)
        try await harness.waitUntil { await harness.muxd.statistics()["test"]?.clientFlow.count == 1 }
        let greedyHandle = try #require(await harness.muxd.statistics()["test"]?.clientFlow.keys.first)

        // 1,000 requests for 16,000 random bytes each: 16 MB of replies, never read.
        let count: UInt32 = 16_000
        let requests = 1_000
        let request = SLIPEncoder.encode(RPC.GetRandom.encodeRequest(.init(count: count), client: .zero))
        try await greedy.write(Array((0..<requests).map { _ in request }.joined()))
        try await harness.waitUntil { (await harness.muxd.statistics()["test"]?.clientFlow[greedyHandle]?.readStalls ?? 0) >= 1 }
        // Wait for the router to finish what it had taken before the stall.
        try await harness.waitUntil {
            guard let traffic = await harness.muxd.statistics()["test"]?.clients[greedyHandle] else { return false }
            return traffic.replies + traffic.errors == traffic.requests
        }
        let stalled = try #require(await harness.muxd.statistics()["test"])
        let taken = try #require(stalled.clients[greedyHandle]).requests
        #expect(taken < requests / 4, "the muxd stopped taking requests (took \(taken))")

        // Someone else is served as usual meanwhile.
        let other = try await harness.client()
        for round in 0..<50 {
            #expect(try await randomRoundTrip(other, count: 10 + round).get() == FakeBoard.pattern(10 + round))
        }
        await other.close()

        let later = try #require(await harness.muxd.statistics()["test"])
        let flow = try #require(later.clientFlow[greedyHandle])
        #expect(later.clients[greedyHandle]?.requests == taken, "still nothing more taken from the client that does not read")
        #expect(flow.peakUnreadReplyBytes > ClientConnection.writeBufferWaterMark.high, "replies did pile up")
        #expect(flow.peakUnreadReplyBytes <= replyBound)
        #expect(flow.unreadReplyBytes <= replyBound)
        #expect(flow.heldRequestBytes > 0, "requests wait unread in the muxd or the socket")
        #expect(flow.peakHeldRequestBytes <= heldBound)

        // The client reads at last: the muxd takes its requests again and answers them all.
        var received = 0
        while received < requests {
            guard case .frame(let frame) = await greedy.next(timeout: .seconds(20)) else { break }
            #expect(try RPC.GetRandom.decodeReply(frame, for: .init(count: count), client: .zero).get().bytes.count == Int(count))
            received += 1
        }
        #expect(received == requests)
        let end = try #require(await harness.muxd.statistics()["test"])
        #expect(end.clientFlow[greedyHandle]?.peakUnreadReplyBytes ?? .max <= replyBound)
        #expect(end.clientFlow[greedyHandle]?.heldRequestBytes == 0)
        await harness.stop()
    }
}
