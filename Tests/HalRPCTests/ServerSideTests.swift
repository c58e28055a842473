import HalRPC
import Testing

/// The server direction (decode request, encode reply, error replies) as the software Alpha
/// will use it: statuses as the reference firmware gives them (docs/wire-protocol.md §3.2, §4.3).
@Suite struct ServerSideTests {
    /// The reply status `respond` gives `frame` when the handler would succeed.
    func status<F: RPCFunction>(_ function: F.Type, _ frame: [UInt8], reply: F.Reply) async throws -> HALError {
        let request = try #require(IncomingRequest(frame: frame))
        let answer = await request.respond(to: F.self) { _ in reply }
        return try #require(ReplyHeader(peeking: answer)).status
    }

    @Test func shortFramesGetNoReply() {
        for length in 0..<8 { #expect(IncomingRequest(frame: Array(repeating: 0, count: length)) == nil) }
    }

    @Test func argumentPastTheEndIsXDRBufferOverflow() async throws {
        let frame = bytes("00 00 00 03 00 00 00 00 00 00 00 01 00 00 00 05 66 6E")
        #expect(try await status(RPC.Login.self, frame, reply: NoResults()) == .xdrBufferOverflow)
    }

    @Test func fieldAfterAnOpaqueWithoutPaddingIsAssertionFailed() async throws {
        // PKEY_LOAD: DER of one byte with its padding missing, then the flags word cut short.
        let frame = bytes("00 00 00 0D 00 00 00 00 00 00 00 00 00 00 00 01 30")
        #expect(try await status(RPC.PKeyLoad.self, frame, reply: NewKey(pkey: .noHandle, name: .zero)) == .assertionFailed)
    }

    @Test func finalOpaqueWithoutPaddingIsAccepted() throws {
        let frame = bytes("00 00 00 0B 00 00 00 00 00 01 00 00 00 00 00 03 C0 DB 01")
        let request = try #require(IncomingRequest(frame: frame))
        #expect(try request.decode(RPC.HashUpdate.self).data == bytes("C0 DB 01"))
        #expect(throws: XDRError.self) { try request.decode(RPC.HashUpdate.self, strictness: .strict) }
    }

    @Test func trailingRequestBytesAreIgnored() throws {
        let frame = bytes("00 00 00 01 00 00 00 00 00 00 00 10 DE AD BE EF 01")
        #expect(try RPC.GetRandom.decodeRequest(frame).1 == .init(count: 16))
    }

    @Test func attributeCountLargerThanTheRequestIsPacketOverflow() async throws {
        // PKEY_SET_ATTRIBUTES with count 0x20000000: 8 × count wraps to 0 in 32 bits.
        let frame = bytes("00 00 00 1B 00 00 00 00 80 01 00 00 20 00 00 00 00 00 00 03 00 00 00 00")
        #expect(try await status(RPC.PKeySetAttributes.self, frame, reply: NoResults()) == .rpcPacketOverflow)
        // PKEY_GET_ATTRIBUTES: 4 × (1 + count) > remaining.
        let get = bytes("00 00 00 1C 00 00 00 00 80 01 00 00 00 00 00 02 00 00 00 03 00 00 00 00")
        #expect(try await status(RPC.PKeyGetAttributes.self, get, reply: .lengths([])) == .rpcPacketOverflow)
    }

    @Test func keyNameOfWrongLengthIsKeyNameTooLong() async throws {
        let frame = bytes("00 00 00 0E 00 00 00 00 00 00 00 00 00 00 00 0F") + Array(repeating: 1, count: 16)
        #expect(try await status(RPC.PKeyOpen.self, frame, reply: .init(pkey: .noHandle)) == .keyNameTooLong)
    }

    @Test func handlerStatusBecomesA12ByteReply() async throws {
        let request = try #require(IncomingRequest(frame: bytes("00 00 00 11 12 34 56 78 80 01 00 00")))
        let reply = await request.respond(to: RPC.PKeyClose.self) { _ throws(HALError) in throw .keyNotFound }
        #expect(reply == bytes("00 00 00 11 12 34 56 78 00 00 00 15"))
    }

    @Test func unknownEnumValuesReachTheHandler() throws {
        // The server must see curve 9 to answer BAD_ARGUMENTS itself (docs/wire-protocol.md §4.3).
        let frame = bytes("00 00 00 10 00 00 00 01 00 00 00 00 00 00 00 09 00 00 00 01")
        let request = try #require(IncomingRequest(frame: frame))
        let arguments = try request.decode(RPC.PKeyGenerateEC.self)
        #expect(arguments.curve == Curve(rawValue: 9))
        #expect(request.header.client == ClientHandle(rawValue: 1))
    }

    @Test func shareCountOnlyWhenAWholeWordFollows() throws {
        let base = bytes("00 00 00 1D 00 00 00 00 80 01 00 00 00 02 00 01 00 00 15 68 00 00 02 00")
        #expect(try RPC.PKeyExport.decodeRequest(base).1.shareCount == nil)
        #expect(try RPC.PKeyExport.decodeRequest(base + [0, 0, 1]).1.shareCount == nil)
        #expect(try RPC.PKeyExport.decodeRequest(base + [0, 0, 1, 0]).1.shareCount == 256)
        #expect(throws: XDRError.trailingBytes(offset: 24, count: 3)) {
            try RPC.PKeyExport.decodeRequest(base + [0, 0, 1], strictness: .strict)
        }
    }

    @Test func halStatusOfEveryDecodeError() {
        #expect(XDRError.truncated(offset: 0, needed: 4, available: 0).halStatus == .xdrBufferOverflow)
        #expect(XDRError.fieldAfterMissingPadding(offset: 0).halStatus == .assertionFailed)
        #expect(XDRError.badKeyNameLength(offset: 0, length: 3).halStatus == .keyNameTooLong)
        #expect(XDRError.countExceedsInput(offset: 0, count: 3, maximum: 0).halStatus == .rpcPacketOverflow)
    }
}
