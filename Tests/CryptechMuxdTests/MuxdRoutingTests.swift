import BlockingWork
import CryptechMuxd
import CryptechTransport
import Foundation
import HalRPC
import Testing

@Suite(.serialized) struct MuxdRoutingTests {
    @Test func manyConcurrentClientsEachGetTheirOwnReplies() async throws {
        let harness = try await MuxdHarness.start()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for clientIndex in 0..<64 {
                group.addTask {
                    let link = try await harness.client()
                    defer { Task { await link.close() } }
                    var good = 0
                    for round in 0..<500 {
                        // A length unique to this client in this round: a reply routed to the
                        // wrong client would have the wrong length and pattern.
                        let count = 1 + clientIndex * 5 + (round % 5)
                        let bytes = try await randomRoundTrip(link, count: count, client: ClientHandle(rawValue: UInt32(clientIndex))).get()
                        if bytes == FakeBoard.pattern(count) { good += 1 }
                    }
                    return good
                }
            }
            var total = 0
            for try await good in group { total += good }
            #expect(total == 64 * 500)
        }
        let stats = try #require(await harness.muxd.statistics()["test"])
        #expect(stats.traffic.replies >= 64 * 500)
        #expect(stats.strayReplies == 0)
        await harness.stop()
    }

    @Test func repliesCarryTheClientsOwnHandleWord() async throws {
        let harness = try await MuxdHarness.start()
        let link = try await harness.client()
        let request = RPC.GetVersion.encodeRequest(NoArguments(), client: ClientHandle(rawValue: 0xABCD_0123))
        try await link.send(request)
        let reply = try await link.receive(timeout: .seconds(5))
        #expect(Array(reply[0..<12]) == [0, 0, 0, 0, 0xAB, 0xCD, 0x01, 0x23, 0, 0, 0, 0])
        await link.close()
        await harness.stop()
    }

    @Test func referenceStyleClientWorksUnchanged() async throws {
        // One request at a time, raw SLIP bytes on a plain stream socket, client word 0
        // (docs/wire-protocol.md §15 G1/G2).
        let harness = try await MuxdHarness.start()
        let path = harness.rpcSocket
        // Blocking socket calls, off the tasks' pool: the fake board answers on that pool.
        let replies = try await offThePool { () -> [[UInt8]] in
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard connected == 0 else { return [] }
            var replies: [[UInt8]] = []
            for _ in 0..<3 {
                let request: [UInt8] = [0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0xC0]
                guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else { break }
                var reply: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 64)
                while reply.filter({ $0 == 0xC0 }).count < 2 {
                    let n = read(fd, &buffer, buffer.count)
                    if n <= 0 { break }
                    reply += buffer[0..<n]
                }
                replies.append(reply)
            }
            return replies
        }
        #expect(replies == Array(repeating: [0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0xC0], count: 3))
        await harness.stop()
    }

    @Test func garbageOversizeFramesAndAbruptDisconnectsDoNotDisturbOthers() async throws {
        let harness = try await MuxdHarness.start()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let link = try await harness.client()
                    for round in 0..<200 {
                        let count = 100 + index * 10 + round % 3
                        let bytes = try await randomRoundTrip(link, count: count).get()
                        #expect(bytes == FakeBoard.pattern(count))
                    }
                    await link.close()
                }
            }
            group.addTask {
                for round in 0..<40 {
                    let link = try await harness.client()
                    switch round % 4 {
                    case 0: try await link.send([1, 2, 3])                                    // under a header
                    case 1: try await link.send([UInt8](repeating: 0x55, count: 20_000))      // oversize
                    case 2: try await link.send(RPC.GetRandom.encodeRequest(.init(count: 9), client: .zero)) // then vanish
                    default: try await link.send([0xDB, 0x00, 0x41])                          // bad escape
                    }
                    await link.close()
                }
            }
            try await group.waitForAll()
        }
        let stats = try #require(await harness.muxd.statistics()["test"])
        #expect(stats.droppedRequests >= 20)
        await harness.stop()
    }

    @Test func everyClosedConnectionIsLoggedOutOnTheBoard() async throws {
        let harness = try await MuxdHarness.start()
        for _ in 0..<10 {
            let link = try await harness.client()
            _ = try await randomRoundTrip(link, count: 4).get()
            await link.close()
        }
        try await harness.waitUntil { harness.board.logouts.count == 10 }
        #expect(Set(harness.board.logouts).count == 10, "each connection has a handle of its own")
        #expect(!harness.board.logouts.contains(0))
        #expect(harness.board.logoutAlls == 1, "LOGOUT_ALL once at start")
        await harness.stop()
    }

    @Test func aBoardThatStopsAnsweringProducesErrorRepliesInTime() async throws {
        var timeouts = TimeoutPolicy()
        // Far longer than any reply takes on a loaded machine, far shorter than the client's
        // minute: only the muted board's request can reach it.
        timeouts[.short] = .seconds(5)
        let harness = try await MuxdHarness.start(timeouts: timeouts)
        let link = try await harness.client()
        #expect(try await randomRoundTrip(link, count: 8).get() == FakeBoard.pattern(8))
        harness.board.muted = true
        // The client waits up to a minute; the muxd's 5 s deadline answers first, with the
        // transport error the reference clients understand.
        #expect(try await randomRoundTrip(link, count: 8) == .failure(.rpcTransport))
        // The board recovers; the connection works again (behind the muxd's fence).
        harness.board.muted = false
        #expect(try await randomRoundTrip(link, count: 12).get() == FakeBoard.pattern(12))
        let stats = try #require(await harness.muxd.statistics()["test"])
        #expect(stats.traffic.timeouts == 1)
        await link.close()
        await harness.stop()
    }

    @Test func boardRestartIsSurvivedWithoutRestartingTheDaemon() async throws {
        let harness = try await MuxdHarness.start()
        let link = try await harness.client()
        #expect(try await randomRoundTrip(link, count: 5).get() == FakeBoard.pattern(5))
        await harness.board.stop()
        try await harness.waitUntil { await harness.muxd.statistics()["test"]?.boardLosses == 1 }
        // While the board is away, requests fail at once with a transport error.
        #expect(try await randomRoundTrip(link, count: 5) == .failure(.rpcTransport))
        let late = try await harness.client()
        #expect(try await randomRoundTrip(late, count: 5) == .failure(.rpcTransport))
        try await harness.board.start()
        try await harness.waitUntil { await harness.muxd.statistics()["test"]?.boardAttachments == 2 }
        #expect(try await randomRoundTrip(link, count: 6).get() == FakeBoard.pattern(6))
        #expect(try await randomRoundTrip(late, count: 7).get() == FakeBoard.pattern(7))
        await link.close()
        await late.close()
        await harness.stop()
    }

    @Test func theFenceFunctionNumberIsReserved() async throws {
        let harness = try await MuxdHarness.start()
        let link = try await harness.client()
        try await link.send([0x4D, 0x55, 0x58, 0x46, 0, 0, 0, 7])
        let reply = try await link.receive(timeout: .seconds(5))
        #expect(reply == [0x4D, 0x55, 0x58, 0x46, 0, 0, 0, 7, 0, 0, 0, 30])
        await link.close()
        await harness.stop()
    }
}
