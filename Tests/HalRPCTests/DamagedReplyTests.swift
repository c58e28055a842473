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
}
