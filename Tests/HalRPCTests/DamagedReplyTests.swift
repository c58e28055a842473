import HalRPC
import Testing

/// A reply damaged on the way is a link fault with an unknown outcome, never a board's answer
/// (issue 17: "a corrupted reply was read as a board status, unknown HAL error 524288").
@Suite struct DamagedReplyTests {
    let connector = FakeAlphaConnector()
    var board: FakeAlpha { connector.board }

    @Test("a status no board answers is a damaged reply, not a device error", arguments: [UInt32(524_288), 60, .max])
    func unknownStatus(_ status: UInt32) async throws {
        #expect(!HALError(rawValue: status).isKnown)
        let frame = ReplyHeader.errorReply(functionCode: FunctionNumber.pkeySign.rawValue, client: .zero, status: HALError(rawValue: status))
        await board.setCannedReply(frame, for: .pkeySign)
        let client = HSMClient(connector: connector)
        await #expect(throws: HSMClientError.damagedReply(function: .pkeySign, reason: "status \(status) is no HAL status")) {
            _ = try await client.pkeySign(Samples.pkey, input: [1, 2, 3], signatureMaximum: 100)
        }
        // A known status still is the board's answer.
        await board.setCannedReply(ReplyHeader.errorReply(
            functionCode: FunctionNumber.pkeySign.rawValue, client: .zero, status: .keyNotFound), for: .pkeySign)
        await #expect(throws: HSMClientError.device(.keyNotFound)) {
            _ = try await client.pkeySign(Samples.pkey, input: [1, 2, 3], signatureMaximum: 100)
        }
    }

    @Test("a hash handle the board does not know is a damaged HASH_INITIALIZE reply, not the board refusing the update's arguments")
    func damagedHashHandle() async throws {
        let client = HSMClient(connector: connector)
        let good = try await client.digest(algorithm: .sha256)
        // One bit of the handle flipped on the way: the board holds no hash by it.
        await board.setCannedReply(RPC.HashInitialize.encodeReply(.init(hash: HashHandle(rawValue: good.handle.rawValue ^ 0x0100)), client: .zero),
                                   for: .hashInitialize)
        let damaged = try await client.digest(algorithm: .sha256)
        await #expect(throws: HSMClientError.damagedReply(
            function: .hashInitialize,
            reason: "the board knows no hash by the handle it gave (\(damaged.handle)): damaged on the link, or the hash was finished already")) {
            try await damaged.update([1, 2, 3])
        }
        // The board's "no such hash" to a read is believed once asked twice.
        #expect(await board.received.map(\.function).suffix(3) == [.hashUpdate, .hashGetAlgorithm, .hashGetAlgorithm])
        // The board's hash by the right handle still works.
        try await good.update([1, 2, 3])
        #expect(try await good.finalize().prefix(2) == [3, 6])
    }
}
