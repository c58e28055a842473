import CryptechTransport
import HalRPC
import Testing

/// The client against a fake board on an in-process link: matching, timeouts, lost links.
@Suite struct HSMClientTests {
    let connector = FakeAlphaConnector()
    var board: FakeAlpha { connector.board }

    /// A client that sends each request once: these tests are about one attempt's matching,
    /// deadline and resynchronisation (repeats: ``RepeatTests``).
    func makeClient(_ handle: UInt32 = 0, checksReplyClient: Bool = false) -> HSMClient {
        HSMClient(connector: connector, client: ClientHandle(rawValue: handle), checksReplyClient: checksReplyClient, retries: 0)
    }

    @Test func concurrentCallsEachGetTheirOwnReply() async throws {
        let client = makeClient()
        try await Self.hammer(client, tasks: 60)
        let statistics = await client.statistics
        #expect(statistics.strayFrames == 0 && statistics.lateReplies == 0 && statistics.timeouts == 0)
        #expect(connector.openCount == 1)
    }

    /// `tasks` concurrent calls of three functions; each checks that the answer is its own.
    static func hammer(_ client: HSMClient, tasks: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<tasks {
                group.addTask {
                    switch index % 3 {
                    case 0:
                        let count = index + 1
                        let bytes = try await client.getRandom(count: count)
                        #expect(bytes == (0..<count).map { UInt8(truncatingIfNeeded: $0 + count) })
                    case 1:
                        #expect(try await client.getVersion() == RPCLimits.version)
                    default:
                        let algorithm = [DigestAlgorithm.sha1, .sha256, .sha384, .sha512][index % 4]
                        #expect(try await client.hashGetDigestLength(algorithm: algorithm) == algorithm.digestLength)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func replyThatNeverComesTimesOut() async throws {
        let client = makeClient()
        await board.setSilent([.getRandom])
        // The error names the timeout that expired: the call ended by its deadline, not by
        // anything else (no wall-clock assertion: a loaded machine must not fail this).
        await #expect(throws: HSMClientError.timeout(function: .getRandom, after: .milliseconds(200), requestSent: true)) {
            try await client.getRandom(count: 4, timeout: .milliseconds(200))
        }
        #expect(await client.statistics.timeouts == 1)
        // The link is still good: the next call resynchronises, then gets its answer.
        #expect(try await client.getVersion() == RPCLimits.version)
        let functions = await board.received.map(\.functionCode)
        #expect(functions.count == 3 && functions.first == 1 && functions.last == 0, "the timed-out request is never re-sent")
        #expect(functions.count == 3 && HSMClient.isSynchronisation(functions[1]))
    }

    @Test func lateReplyNeverReachesALaterCall() async throws {
        let client = makeClient()
        await board.hold(.getRandom)
        await #expect(throws: HSMClientError.timeout(function: .getRandom, after: .milliseconds(100), requestSent: true)) {
            try await client.getRandom(count: 3, timeout: .milliseconds(100))
        }
        // Same function, different answer: the late 3-byte reply must be dropped. It comes
        // once the next call's resynchronisation has reached the board, long after the call
        // it answers gave up.
        async let next = client.getRandom(count: 9, timeout: .seconds(60))
        while await board.arrivals < 2 { try await Task.sleep(for: .milliseconds(5)) }
        await board.release(.getRandom)
        let bytes = try await next
        #expect(bytes.count == 9)
        #expect(await client.statistics.lateReplies == 1)
        #expect(await board.randomCounts == [3, 9])
    }

    @Test func callQueuedPastItsDeadlineIsNeverSent() async throws {
        let client = makeClient()
        await board.hold(.getVersion)
        async let slow = client.getVersion(timeout: .seconds(60))
        // The slow call is on the wire (and unanswered until released): the next one queues.
        while await board.received.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: HSMClientError.timeout(function: .getRandom, after: .milliseconds(100), requestSent: false)) {
            try await client.getRandom(count: 1, timeout: .milliseconds(100))
        }
        await board.release(.getVersion)
        #expect(try await slow == RPCLimits.version)
        #expect(await board.randomCounts.isEmpty)
    }

    @Test func lostLinkFailsEveryPendingCallAtOnce() async throws {
        let client = makeClient()
        await board.setSilent([.getRandom])
        let results = try await withThrowingTaskGroup(of: HSMClientError?.self) { group in
            for count in 1...5 {
                group.addTask {
                    do {
                        _ = try await client.getRandom(count: count, timeout: .seconds(60))
                        return nil
                    } catch let error as HSMClientError {
                        return error
                    }
                }
            }
            while await board.received.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            await connector.unplug()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // Each call had 60 s; a transport error (not a timeout) shows they ended with the link.
        #expect(results.count == 5)
        for result in results {
            guard case .transport(let error)? = result else {
                Issue.record("expected a transport error, got \(String(describing: result))")
                continue
            }
            #expect(error.code == .lost)
        }
        // The next call opens a new link.
        await board.setSilent([])
        #expect(try await client.getVersion() == RPCLimits.version)
        #expect(connector.openCount == 2)
    }

    @Test func closeFailsPendingCalls() async throws {
        let client = makeClient()
        await board.setSilent([.getRandom])
        let pending = Task { try await client.getRandom(count: 1) }
        while await board.received.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await client.close()
        let error = await #expect(throws: HSMClientError.self) { try await pending.value }
        guard case .transport(let transport)? = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(transport.code == .closed)
    }

    @Test func strayFramesAreCountedAndDropped() async throws {
        let client = makeClient()
        let versionReply = RPC.GetVersion.encodeReply(.init(version: 1), client: .zero)
        await board.queueJunk([[1, 2, 3], versionReply, bytes("00 00 00 01 00 00 00 00 00 00")])
        #expect(try await client.getRandom(count: 2) == [2, 3])
        #expect(await client.statistics.strayFrames == 3)
    }

    @Test func replyForAnotherClientIsDroppedOnADirectLink() async throws {
        let client = makeClient(7, checksReplyClient: true)
        let other = RPC.GetRandom.encodeReply(.init(bytes: [9, 9]), client: ClientHandle(rawValue: 8))
        await board.queueJunk([other])
        #expect(try await client.getRandom(count: 2) == [2, 3])
        #expect(await client.statistics.strayFrames == 1)
    }

    @Test func replyClientWordIsIgnoredThroughTheMuxd() async throws {
        // The muxd leaves its own handle in the reply (docs/wire-protocol.md §11.3).
        let client = makeClient(7, checksReplyClient: false)
        let muxd = RPC.GetRandom.encodeReply(.init(bytes: [4, 4]), client: ClientHandle(rawValue: 0x5DF0_A8B1))
        await board.queueJunk([muxd])
        #expect(try await client.getRandom(count: 2) == [4, 4])
    }

    @Test func deviceErrorsCanBeCaughtByCode() async throws {
        let client = makeClient()
        do {
            _ = try await client.openKey(name: Samples.name1)
            Issue.record("opened a key that does not exist")
        } catch HSMClientError.device(.keyNotFound) {
            // expected
        }
        await #expect(throws: HSMClientError.device(.pinIncorrect)) { try await client.login(user: .normal, pin: PIN("wrong")) }
        #expect(try await client.isLoggedIn(user: .normal) == false)
        try await client.login(user: .normal, pin: FakeAlpha.pin)
        #expect(try await client.isLoggedIn(user: .normal))
        await #expect(throws: HSMClientError.device(.notImplemented)) { try await client.checkTamper() }
    }

    @Test func argumentsTheWireCannotCarryAreRefusedUnsent() async throws {
        let client = makeClient()
        await #expect(throws: HSMClientError.invalidArgument("random byte count 16369 not in 0...16368")) {
            try await client.getRandom(count: 16369)
        }
        await #expect(throws: HSMClientError.requestTooLarge(function: .pkeySign, size: 16408)) {
            try await client.pkeySign(Samples.pkey, input: Array(repeating: 0, count: 16384), signatureMaximum: 100)
        }
        #expect(await board.received.isEmpty)
    }

    @Test func cancelledCallIsAbandoned() async throws {
        let client = makeClient()
        await board.setSilent([.getRandom])
        let task = Task { try await client.getRandom(count: 1, timeout: .seconds(60)) }
        while await board.received.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        await board.setSilent([])
        #expect(try await client.getVersion() == RPCLimits.version)
    }
}
