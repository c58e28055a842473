import HalRPC
import Testing

/// A reply damaged on the way (an impossible layout, a status no board sends) is never a
/// board's answer; calls safe to repeat are sent again, others once (issue 17, item 2).
@Suite struct RepeatTests {
    let connector = FakeAlphaConnector()
    var board: FakeAlpha { connector.board }

    /// Replies no board sends: an error reply with results after it, an OK reply with a
    /// word too many, an OK reply whose results are cut short.
    static func damagedVersionReplies() -> [[UInt8]] {
        let ok = RPC.GetVersion.encodeReply(.init(version: RPCLimits.version), client: .zero)
        let error = ReplyHeader.errorReply(functionCode: FunctionNumber.getVersion.rawValue, client: .zero, status: .keyNotFound)
        return [error + [0, 0, 0, 1], ok + [0, 0, 0, 0], Array(ok.dropLast(4))]
    }

    @Test("an impossible layout is a damaged reply, repeated for a read", arguments: damagedVersionReplies())
    func impossibleLayoutIsDamaged(_ frame: [UInt8]) async throws {
        await board.setCannedReply(frame, for: .getVersion)
        let client = HSMClient(connector: connector, retries: 2)
        let error = await #expect(throws: HSMClientError.self) { try await client.getVersion() }
        guard case .damagedReply(.getVersion, _)? = error else {
            Issue.record("expected a damaged reply, got \(String(describing: error))")
            return
        }
        #expect(error?.isLostOrDamagedReply == true)
        let sent = await board.received.filter { $0.functionCode == FunctionNumber.getVersion.rawValue }.count
        #expect(sent == 3, "sent once and repeated twice")
    }

    @Test func aStateChangingCallIsSentOnce() async throws {
        let damaged = ReplyHeader.errorReply(functionCode: FunctionNumber.pkeySign.rawValue, client: .zero, status: .keyNotFound) + [1, 2, 3, 4]
        await board.setCannedReply(damaged, for: .pkeySign)
        let client = HSMClient(connector: connector, retries: 2)
        let error = await #expect(throws: HSMClientError.self) {
            _ = try await client.pkeySign(Samples.pkey, input: [1, 2, 3], signatureMaximum: 100)
        }
        guard case .damagedReply(.pkeySign, _)? = error else {
            Issue.record("expected a damaged reply, got \(String(describing: error))")
            return
        }
        let sent = await board.received.filter { $0.functionCode == FunctionNumber.pkeySign.rawValue }.count
        #expect(sent == 1, "a signature is never asked for twice")
    }

    @Test func theMuxdsTransportErrorIsALostReplyNotTheBoardsAnswer() async throws {
        await board.setCannedReply(ReplyHeader.errorReply(functionCode: FunctionNumber.getVersion.rawValue, client: .zero, status: .rpcTransport),
                                   for: .getVersion)
        let client = HSMClient(connector: connector, retries: 0)
        await #expect(throws: HSMClientError.replyLost(function: .getVersion, reason: "the muxd got no reply from the board (HAL_ERROR_RPC_TRANSPORT)")) {
            _ = try await client.getVersion()
        }
    }

    @Test func theRepeatTableSendsOnlyReadsAndOpenAgain() {
        for function in FunctionNumber.allCases where function.isSafeToRepeat {
            #expect(![.pkeySign, .pkeyExport, .pkeyImport, .login, .hashUpdate].contains(function))
        }
        #expect(FunctionNumber.getVersion.isSafeToRepeat && FunctionNumber.pkeyGetAttributes.isSafeToRepeat && FunctionNumber.pkeyMatch.isSafeToRepeat)
    }
}
