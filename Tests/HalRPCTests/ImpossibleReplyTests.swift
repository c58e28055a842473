import HalRPC
import Testing

/// Replies that follow the layout but that no board sends to the request: damaged on the way,
/// never the board's answer (issue 17, item 2, as found with `--fault corrupt=0.02`).
@Suite struct ImpossibleReplyTests {
    let connector = FakeAlphaConnector()
    var board: FakeAlpha { connector.board }

    func sent(_ function: FunctionNumber) async -> Int {
        await board.received.filter { $0.function == function }.count
    }

    /// One flipped bit turns KEY_NOT_FOUND (21) into RPC_PACKET_OVERFLOW (29).
    static let flippedKeyNotFound = HALError(rawValue: HALError.keyNotFound.rawValue ^ 0x08)

    @Test func packetOverflowToARequestThatSizesNothingIsDamaged() async throws {
        #expect(Self.flippedKeyNotFound == .rpcPacketOverflow)
        let frame = ReplyHeader.errorReply(functionCode: FunctionNumber.pkeyClose.rawValue, client: .zero, status: Self.flippedKeyNotFound)
        await board.setCannedReply(frame, for: .pkeyClose)
        let client = HSMClient(connector: connector, retries: 2)
        await #expect(throws: HSMClientError.damagedReply(
            function: .pkeyClose, reason: "status 29 (HAL_ERROR_RPC_PACKET_OVERFLOW) cannot answer this PKEY_CLOSE request")) {
            try await client.pkeyClose(Samples.pkey)
        }
        #expect(await sent(.pkeyClose) == 1, "CLOSE is not repeated")
    }

    @Test func packetOverflowIsTheBoardsAnswerOnlyToARequestWhoseReplyWouldNotFit() async throws {
        let frame = ReplyHeader.errorReply(functionCode: FunctionNumber.getRandom.rawValue, client: .zero, status: .rpcPacketOverflow)
        await board.setCannedReply(frame, for: .getRandom)
        let client = HSMClient(connector: connector, retries: 2)
        let fits = RPC.GetRandom.Request(count: UInt32(RPC.GetRandom.maximumCount))
        await #expect(throws: HSMClientError.damagedReply(
            function: .getRandom, reason: "status 29 (HAL_ERROR_RPC_PACKET_OVERFLOW) cannot answer this GET_RANDOM request")) {
            _ = try await client.perform(RPC.GetRandom.self, fits)
        }
        #expect(await sent(.getRandom) == 3, "a read: sent once and repeated twice")
        let tooMany = RPC.GetRandom.Request(count: fits.count + 1)
        await #expect(throws: HSMClientError.device(.rpcPacketOverflow)) { _ = try await client.perform(RPC.GetRandom.self, tooMany) }
        #expect(await sent(.getRandom) == 5, "the board's answer to a read, believed once it is given twice")
    }

    @Test func packetOverflowToAnExportWhoseReplyFitsIsDamaged() async throws {
        let frame = ReplyHeader.errorReply(functionCode: FunctionNumber.pkeyExport.rawValue, client: .zero, status: .rpcPacketOverflow)
        let fits = RPC.PKeyExport.Request(pkey: Samples.pkey, kekek: Samples.pkey, pkcs8Maximum: 5480, kekMaximum: 512)
        let tooLarge = RPC.PKeyExport.Request(pkey: Samples.pkey, kekek: Samples.pkey, pkcs8Maximum: 12000, kekMaximum: 5000)
        #expect(throws: RPCReplyError.impossible("status 29 (HAL_ERROR_RPC_PACKET_OVERFLOW) cannot answer this PKEY_EXPORT request")) {
            try RPC.PKeyExport.decodeReply(frame, for: fits)
        }
        #expect(try RPC.PKeyExport.decodeReply(frame, for: tooLarge) == .failure(.rpcPacketOverflow))
    }

    @Test func aPublicKeyThatIsNoSubjectPublicKeyInfoIsDamagedAndAskedAgain() async throws {
        // The long-form length byte of the outer SEQUENCE flipped (0x53 → 0xD3): 83 length
        // octets, which no DER has.
        var der = try HashSigPublicKeyInfo(
            levels: 1, lmsType: .sha256N32H5, lmotsType: LMOTSTypeCode(rawValue: 4),
            identifier: [UInt8](repeating: 1, count: 16), root: [UInt8](repeating: 2, count: 32)).der
        der[1] ^= 0x80
        await board.setCannedReply(RPC.PKeyGetPublicKey.encodeReply(.init(der: der), client: .zero), for: .pkeyGetPublicKey)
        let client = HSMClient(connector: connector, retries: 2)
        let error = await #expect(throws: HSMClientError.self) {
            _ = try await client.pkeyGetPublicKey(Samples.pkey, maximumLength: 200)
        }
        guard case .damagedReply(.pkeyGetPublicKey, let reason)? = error else {
            Issue.record("expected a damaged reply, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("the public key is no SubjectPublicKeyInfo"))
        #expect(await sent(.pkeyGetPublicKey) == 3, "sent once and repeated twice")
    }

    @Test func aHashsigPublicKeyWhoseInnerLayoutIsBrokenIsDamaged() async throws {
        // The outer SubjectPublicKeyInfo parses; the §8.2 SEQUENCE inside the BIT STRING does
        // not (its length byte flipped).
        var der = try HashSigPublicKeyInfo(
            levels: 1, lmsType: .sha256N32H5, lmotsType: LMOTSTypeCode(rawValue: 4),
            identifier: [UInt8](repeating: 1, count: 16), root: [UInt8](repeating: 2, count: 32)).der
        let inner = HashSigPublicKeyInfo.derLength - 0x3D - 1
        #expect(der[inner - 1] == 0x30 && der[inner] == 0x3D)
        der[inner] ^= 0x80
        await board.setCannedReply(RPC.PKeyGetPublicKey.encodeReply(.init(der: der), client: .zero), for: .pkeyGetPublicKey)
        let client = HSMClient(connector: connector, retries: 0)
        let error = await #expect(throws: HSMClientError.self) {
            _ = try await client.pkeyGetPublicKey(Samples.pkey, maximumLength: 200)
        }
        guard case .damagedReply(.pkeyGetPublicKey, _)? = error else {
            Issue.record("expected a damaged reply, got \(String(describing: error))")
            return
        }
    }

    @Test func aLostOpenReplyIsAskedAgain() async throws {
        await board.addKey(Samples.name1, FakeAlpha.Key(type: .ecPrivate, flags: .digitalSignature, attributes: [:]))
        let damaged = ReplyHeader.errorReply(functionCode: FunctionNumber.pkeyOpen.rawValue, client: .zero, status: .keyNotFound) + [0, 0, 0, 1]
        await board.setCannedReply(damaged, for: .pkeyOpen)
        let client = HSMClient(connector: connector, retries: 2)
        await #expect(throws: HSMClientError.self) { _ = try await client.openKey(name: Samples.name1) }
        #expect(await sent(.pkeyOpen) == 3, "OPEN takes a handle slot at worst: sent once and repeated twice")
    }
}
