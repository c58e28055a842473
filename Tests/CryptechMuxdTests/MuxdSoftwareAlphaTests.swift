#if canImport(Glibc)
import Glibc
#endif
import CryptechMuxd
import HalRPC
import HashSig
import Testing

/// The daemon in front of real software Alphas (the emulator executable on ptys).
@Suite(.serialized) struct MuxdSoftwareAlphaTests {
    @Test func sixtyFourClientsFiveHundredRequestsEachGetTheirOwnReplies() async throws {
        try await SoftwareAlphaRig.with(boardArguments: [[]]) { rig in
            let engine = OpenSSLHashEngine()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        let client = rig.client(handle: UInt32(index))
                        // 500 requests each. Every client asks GET_RANDOM for lengths no other
                        // client uses; every fourth also hashes client-unique data on the board
                        // (the board has 32 hash slots) and checks the digest at the end. A reply
                        // routed to another client would break a length or the digest.
                        let hashing = index % 4 == 0
                        let hash = hashing ? try await client.hashInitialize(algorithm: .sha256) : nil
                        var fed: [UInt8] = []
                        var requests = hashing ? 2 : 0
                        for round in 0... {
                            if let hash {
                                guard requests < 500 else { break }
                                let piece = Array("client \(index) piece \(round);".utf8)
                                try await client.hashUpdate(hash: hash, data: piece)
                                fed += piece
                                requests += 1
                            }
                            guard requests < 500 else { break }
                            let count = 1 + index * 3 + round % 3
                            #expect(try await client.getRandom(count: count).count == count)
                            requests += 1
                        }
                        if let hash {
                            let digest = try await client.hashFinalize(hash: hash, length: 32)
                            #expect(digest == (try await engine.sha256(fed)), "client \(index)'s hash saw only its own data")
                        }
                        await client.close()
                    }
                }
                try await group.waitForAll()
            }
            let stats = try #require(await rig.muxd.statistics()["board0"])
            #expect(stats.traffic.replies >= 64 * 500)
            #expect(stats.traffic.errors == 0)
            #expect(stats.strayReplies == 0)
        }
    }

    @Test func twoBoardsEachOnItsOwnSocket() async throws {
        let pins = [PIN("board-zero-pin"), PIN("board-one-pin")]
        try await SoftwareAlphaRig.with(boardArguments: pins.map { SoftwareAlphaRig.pinArguments(user: $0) }) { rig in
            let zero = rig.client(board: 0)
            let one = rig.client(board: 1)
            try await zero.login(user: .normal, pin: PIN("board-zero-pin"))
            try await one.login(user: .normal, pin: PIN("board-one-pin"))
            await #expect(throws: HSMClientError.device(.pinIncorrect)) {
                try await rig.client(board: 0).login(user: .normal, pin: PIN("board-one-pin"))
            }
            // Traffic to both at once.
            async let a = zero.getRandom(count: 1000)
            async let b = one.getRandom(count: 2000)
            #expect(try await a.count == 1000)
            #expect(try await b.count == 2000)
            await zero.close()
            await one.close()
        }
    }

    @Test func killingAndRestartingTheBoardIsSurvived() async throws {
        try await SoftwareAlphaRig.with(boardArguments: [[]]) { rig in
            let client = rig.client()
            #expect(try await client.getVersion() == 0x0101_0100)
            try await rig.restart(board: 0)
            try await rig.waitForAttachments(board: 0, count: 2)
            // The same connection works with the new board process; the daemon never restarted.
            #expect(try await client.getRandom(count: 64).count == 64)
            let fresh = rig.client()
            #expect(try await fresh.getVersion() == 0x0101_0100)
            await client.close()
            await fresh.close()
        }
    }

    @Test func aBoardThatStopsAnsweringGivesErrorRepliesThenRecovers() async throws {
        var timeouts = TimeoutPolicy()
        // Far longer than any reply takes on a loaded machine, far shorter than the client's
        // own deadline: only the stopped board's request can reach it.
        timeouts[.short] = .seconds(5)
        try await SoftwareAlphaRig.with(boardArguments: [[]], timeouts: timeouts) { rig in
            let client = rig.client()
            #expect(try await client.getVersion() == 0x0101_0100)
            try await rig.freeze(board: 0)
            // The client would wait a minute; the daemon answers at its 5 s deadline instead,
            // which the client reports as a lost reply, never as the board's answer. (A call
            // that changes state: a read would be repeated.)
            await #expect(throws: HSMClientError.replyLost(
                function: .hashInitialize, reason: "the muxd got no reply from the board (HAL_ERROR_RPC_TRANSPORT)")) {
                _ = try await client.hashInitialize(algorithm: .sha256, timeout: .seconds(60))
            }
            rig.thaw(board: 0)
            // The late reply is drained by the daemon's fence; the next call gets its own answer.
            #expect(try await client.getRandom(count: 12).count == 12)
            let stats = try #require(await rig.muxd.statistics()["board0"])
            #expect(stats.traffic.timeouts == 1)
            await client.close()
        }
    }
}
