import CryptechTransport
import HalRPC
import Testing

/// docs/wire-protocol.md §15, byte for byte, through the shared descriptions (and SLIP where the
/// vector gives the wire form).
@Suite struct GoldenVectorTests {
    static let tc1PublicKey = bytes("""
        30 53 30 0F 06 0B 2A 86 48 86 F7 0D 01 09 10 03 11 05 00 03 40 00 30 3D
        02 01 02 02 01 05 02 01 04 04 10 61 A5 D5 7D 37 F5 E4 6B FB 75 20 80 6B 07 A1 B8
        04 20 50 65 0E 3B 31 FE 4A 77 3E A2 9A 07 F0 9C F2 EA 30 E5 79 F0 DF 58 EF 8E 29 8D A0 43 4C B2 B8 78
        """)
    static let token = PKeyHandle(rawValue: 0x8001_0000)

    /// The SLIP wire form of a payload, as every sender writes it (docs/wire-protocol.md §1.2).
    func wire(_ payload: [UInt8]) -> [UInt8] { SLIPEncoder.encode(payload) }

    /// Checks `frame` against `payload` and, when given, against the wire bytes.
    func check(_ frame: [UInt8], _ payload: String, wire expectedWire: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(hexString(frame) == hexString(bytes(payload)), sourceLocation: sourceLocation)
        if let expectedWire {
            #expect(hexString(wire(frame)) == hexString(bytes(expectedWire)), sourceLocation: sourceLocation)
        }
    }

    @Test func g1GetVersionRequest() throws {
        let frame = RPC.GetVersion.encodeRequest(NoArguments(), client: .zero)
        check(frame, "00 00 00 00 00 00 00 00", wire: "C0 00 00 00 00 00 00 00 00 C0")
        #expect(try RPC.GetVersion.decodeRequest(frame).0 == RequestHeader(function: .getVersion, client: .zero))
    }

    @Test func g2GetVersionReply() throws {
        let frame = RPC.GetVersion.encodeReply(.init(version: RPCLimits.version), client: .zero)
        check(frame, "00 00 00 00 00 00 00 00 00 00 00 00 01 01 01 00", wire: "C0 00 00 00 00 00 00 00 00 00 00 00 00 01 01 01 00 C0")
        #expect(try RPC.GetVersion.decodeReply(frame, for: NoArguments(), client: .zero) == .success(.init(version: 0x0101_0100)))
    }

    @Test func g3GetRandom() throws {
        let request = RPC.GetRandom.Request(count: 16)
        check(RPC.GetRandom.encodeRequest(request, client: .zero), "00 00 00 01 00 00 00 00 00 00 00 10",
              wire: "C0 00 00 00 01 00 00 00 00 00 00 00 10 C0")
        let data = (0..<16).map { UInt8($0) }
        let reply = RPC.GetRandom.encodeReply(.init(bytes: data), client: .zero)
        check(reply, "00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 10 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F")
        #expect(try RPC.GetRandom.decodeReply(reply, for: request) == .success(.init(bytes: data)))
    }

    @Test func g4Login() throws {
        let request = RPC.Login.Request(user: .normal, pin: PIN("fnord"))
        check(RPC.Login.encodeRequest(request, client: .zero),
              "00 00 00 03 00 00 00 00 00 00 00 01 00 00 00 05 66 6E 6F 72 64 00 00 00",
              wire: "C0 00 00 00 03 00 00 00 00 00 00 00 01 00 00 00 05 66 6E 6F 72 64 00 00 00 C0")
        check(RPC.Login.encodeReply(.success(NoResults()), client: .zero), "00 00 00 03 00 00 00 00 00 00 00 00")
        let wrong = RPC.Login.encodeReply(.failure(.pinIncorrect), client: .zero)
        check(wrong, "00 00 00 03 00 00 00 00 00 00 00 18")
        #expect(try RPC.Login.decodeReply(wrong, for: request) == .failure(.pinIncorrect))
    }

    @Test func g5GenerateHashsig() throws {
        let request = RPC.PKeyGenerateHashsig.Request(
            session: .zero, levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, flags: [.digitalSignature, .token, .exportable])
        check(RPC.PKeyGenerateHashsig.encodeRequest(request, client: .zero),
              "00 00 00 1F 00 00 00 00 00 00 00 00 00 00 00 02 00 00 00 05 00 00 00 04 00 00 00 29",
              wire: "C0 00 00 00 1F 00 00 00 00 00 00 00 00 00 00 00 02 00 00 00 05 00 00 00 04 00 00 00 29 C0")
        let name = KeyName(uuidString: "0f1e2d3c-4b5a-4968-8776-8594a3b2c1d0")!
        let reply = RPC.PKeyGenerateHashsig.encodeReply(NewKey(pkey: Self.token, name: name), client: .zero)
        check(reply, "00 00 00 1F 00 00 00 00 00 00 00 00 80 01 00 00 00 00 00 10 0F 1E 2D 3C 4B 5A 49 68 87 76 85 94 A3 B2 C1 D0")
        #expect(reply.count == 36)
        #expect(try RPC.PKeyGenerateHashsig.decodeReply(reply, for: request) == .success(NewKey(pkey: Self.token, name: name)))
    }

    @Test func g6SLIPEscaping() throws {
        let request = RPC.HashUpdate.Request(hash: HashHandle(rawValue: 0x0001_0000), data: bytes("C0 DB 01"))
        let frame = RPC.HashUpdate.encodeRequest(request, client: .zero)
        check(frame, "00 00 00 0B 00 00 00 00 00 01 00 00 00 00 00 03 C0 DB 01 00",
              wire: "C0 00 00 00 0B 00 00 00 00 00 01 00 00 00 00 00 03 DB DC DB DD 01 00 C0")
        #expect(try RPC.HashUpdate.decodeRequest(frame).1 == request)
    }

    @Test func g7UnknownFunction() throws {
        let request = try #require(IncomingRequest(frame: bytes("00 00 00 63 00 00 00 00")))
        #expect(request.function == nil)
        check(request.errorReply(.rpcBadFunction), "00 00 00 63 00 00 00 00 00 00 00 1E",
              wire: "C0 00 00 00 63 00 00 00 00 00 00 00 1E C0")
    }

    @Test func g8TruncatedRequest() async throws {
        let request = try #require(IncomingRequest(frame: bytes("00 00 00 01 00 00 00 00")))
        let reply = await request.respond(to: RPC.GetRandom.self) { _ in .init(bytes: []) }
        check(reply, "00 00 00 01 00 00 00 00 00 00 00 1B")
        // Shorter than a header: no reply at all.
        #expect(IncomingRequest(frame: bytes("00 00 00 01")) == nil)
    }

    @Test func g9CheckTamper() throws {
        check(RPC.CheckTamper.encodeRequest(NoArguments(), client: .zero), "00 00 00 42 00 00 00 00")
        check(RPC.CheckTamper.encodeReply(.success(NoResults()), client: .zero), "00 00 00 42 00 00 00 00 00 00 00 00")
        let tamper = RPC.CheckTamper.encodeReply(.failure(.tamper), client: .zero)
        check(tamper, "00 00 00 42 00 00 00 00 00 00 00 32")
        #expect(try RPC.CheckTamper.decodeReply(tamper, for: NoArguments()) == .failure(.tamper))
    }

    @Test func g10MuxdTraffic() throws {
        let handle = ClientHandle(rawValue: 0x5DF0_A8B1)
        check(RPC.LogoutAll.encodeRequest(NoArguments(), client: .zero), "00 00 00 05 00 00 00 00", wire: "C0 00 00 00 05 00 00 00 00 C0")
        let fromClient = RPC.GetVersion.encodeRequest(NoArguments(), client: .zero)
        check(fromClient, "00 00 00 00 00 00 00 00", wire: "C0 00 00 00 00 00 00 00 00 C0")
        let forwarded = try #require(RequestHeader.replacingClient(in: fromClient, with: handle))
        check(forwarded, "00 00 00 00 5D F0 A8 B1", wire: "C0 00 00 00 00 5D F0 A8 B1 C0")
        #expect(forwarded.withUnsafeBytes(RequestHeader.init(peeking:)) == RequestHeader(function: .getVersion, client: handle))
        #expect(RequestHeader.replacingClient(in: Array(fromClient.prefix(7)), with: handle) == nil)
        let boardReply = RPC.GetVersion.encodeReply(.init(version: RPCLimits.version), client: handle)
        check(boardReply, "00 00 00 00 5D F0 A8 B1 00 00 00 00 01 01 01 00",
              wire: "C0 00 00 00 00 5D F0 A8 B1 00 00 00 00 01 01 01 00 C0")
        #expect(ReplyHeader(peeking: boardReply) == ReplyHeader(functionCode: 0, client: handle, status: .ok))
        // The client gets the muxd's word back and must not insist on its own (§11.3).
        #expect(try RPC.GetVersion.decodeReply(boardReply, for: NoArguments()) == .success(.init(version: RPCLimits.version)))
        check(RPC.Logout.encodeRequest(NoArguments(), client: handle), "00 00 00 04 5D F0 A8 B1", wire: "C0 00 00 00 04 5D F0 A8 B1 C0")
        // The probe's GET_VERSION is G1 between console noise.
        let probe = bytes("C0 15 C0 00 00 00 00 00 00 00 00 C0 15 0D")
        #expect(Array(probe[3..<11]) == fromClient)
    }

    @Test func g11MatchFirstPage() throws {
        let request = RPC.PKeyMatch.Request(
            session: .zero, type: .none, curve: .none, mask: [], flags: [], attributes: [], state: .start, resultMaximum: 64,
            previous: .zero)
        let frame = RPC.PKeyMatch.encodeRequest(request, client: .zero)
        check(frame, """
            00 00 00 19  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00
            00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 40
            00 00 00 10  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            """)
        #expect(frame.count == 60)
        let name = KeyName(uuidString: "00000000-0000-4000-8000-000000000001")!
        let reply = RPC.PKeyMatch.encodeReply(.init(state: .done, names: [name]), client: .zero)
        check(reply, "00 00 00 19 00 00 00 00 00 00 00 00 00 00 00 03 00 00 00 01 00 00 00 10 00 00 00 00 00 00 40 00 80 00 00 00 00 00 00 01")
    }

    @Test func g12SetAttributes() throws {
        let request = RPC.PKeySetAttributes.Request(
            pkey: Self.token, updates: [.set(AttributeType(rawValue: 3), Array("ab".utf8)), .delete(AttributeType(rawValue: 4))])
        let frame = RPC.PKeySetAttributes.encodeRequest(request, client: .zero)
        check(frame, """
            00 00 00 1B 00 00 00 00 80 01 00 00 00 00 00 02
            00 00 00 03 00 00 00 02 61 62 00 00
            00 00 00 04 FF FF FF FF
            """)
        #expect(try RPC.PKeySetAttributes.decodeRequest(frame).1 == request)
    }

    @Test func g13GetAttributesLengthQuery() throws {
        let request = RPC.PKeyGetAttributes.Request(pkey: Self.token, types: [AttributeType(rawValue: 3)], bufferLength: 0)
        let frame = RPC.PKeyGetAttributes.encodeRequest(request, client: .zero)
        check(frame, "00 00 00 1C 00 00 00 00 80 01 00 00 00 00 00 01 00 00 00 03 00 00 00 00")
        #expect(try RPC.PKeyGetAttributes.decodeRequest(frame).1 == request)
    }

    @Test func g14SignHashsig() throws {
        let request = RPC.PKeySign.Request(pkey: Self.token, hash: .noHandle, input: Array("abc".utf8), signatureMaximum: 2644)
        let frame = RPC.PKeySign.encodeRequest(request, client: .zero)
        check(frame, "00 00 00 17 00 00 00 00 80 01 00 00 00 00 00 00 00 00 00 03 61 62 63 00 00 00 0A 54")
        #expect(frame.count == 28)
    }

    @Test func g15PublicKeyCalls() throws {
        check(RPC.PKeyGetPublicKeyLength.encodeRequest(.init(pkey: Self.token), client: .zero), "00 00 00 15 00 00 00 00 80 01 00 00")
        check(RPC.PKeyGetPublicKeyLength.encodeReply(.init(length: 85), client: .zero),
              "00 00 00 15 00 00 00 00 00 00 00 00 00 00 00 55")
        let request = RPC.PKeyGetPublicKey.Request(pkey: Self.token, maximumLength: 85)
        check(RPC.PKeyGetPublicKey.encodeRequest(request, client: .zero), "00 00 00 16 00 00 00 00 80 01 00 00 00 00 00 55")
        let reply = RPC.PKeyGetPublicKey.encodeReply(.init(der: Self.tc1PublicKey), client: .zero)
        #expect(reply.count == 104)
        check(reply, "00 00 00 16 00 00 00 00 00 00 00 00 00 00 00 55 " + hexString(Self.tc1PublicKey) + " 00 00 00")
        #expect(wire(reply) == [SLIP.end] + reply + [SLIP.end], "no byte needs escaping")
        #expect(try RPC.PKeyGetPublicKey.decodeReply(reply, for: request) == .success(.init(der: Self.tc1PublicKey)))

        let load = RPC.PKeyLoad.Request(session: .zero, der: Self.tc1PublicKey, flags: .digitalSignature)
        let loadFrame = RPC.PKeyLoad.encodeRequest(load, client: .zero)
        #expect(loadFrame.count == 108)
        check(loadFrame, "00 00 00 0D 00 00 00 00 00 00 00 00 00 00 00 55 " + hexString(Self.tc1PublicKey) + " 00 00 00 00 00 00 01")
    }
}
