import HalRPC
import RandomInputs
import Testing

/// `PKey`, `Digest` and the match sequence against the fake board.
@Suite struct KeyHandleTests {
    let connector = FakeAlphaConnector()
    var board: FakeAlpha { connector.board }

    func openKey(_ attributes: [AttributeType: [UInt8]]) async throws -> PKey {
        await board.addKey(Samples.name1, FakeAlpha.Key(type: .ecPrivate, flags: .digitalSignature, attributes: attributes))
        return try await HSMClient(connector: connector).openKey(name: Samples.name1)
    }

    @Test func attributesInTwoPhases() async throws {
        let label = AttributeType(rawValue: 3)
        let id = AttributeType(rawValue: 0x102)
        let key = try await openKey([label: Array("ab".utf8), id: [1, 2, 3]])
        let values = try await key.attributes([label, AttributeType(rawValue: 4), id])
        #expect(values == [label: Array("ab".utf8), id: [1, 2, 3]])
        let functions = await board.received.map(\.function)
        #expect(functions == [.pkeyOpen, .pkeyGetAttributes, .pkeyGetAttributes])
    }

    @Test func keyWithoutAttributesHasNone() async throws {
        let key = try await openKey([:])
        #expect(try await key.attributes([AttributeType(rawValue: 3)]).isEmpty)
        try await key.updateAttributes([.set(AttributeType(rawValue: 3), [7]), .delete(AttributeType(rawValue: 9))])
        #expect(try await key.attributes([AttributeType(rawValue: 3)]) == [AttributeType(rawValue: 3): [7]])
    }

    @Test func attributeReplyForOtherTypesIsDamagedAndAskedAgain() async throws {
        // A length query answered with the types in the wrong order: well-formed, but no board
        // answers so (the C client rejects it too), so it was damaged on the way; the query
        // is a read, so it is asked again.
        let types = [AttributeType(rawValue: 1), AttributeType(rawValue: 2)]
        let swapped = RPC.PKeyGetAttributes.encodeReply(
            .lengths([AttributeLength(type: types[1], length: 1), AttributeLength(type: types[0], length: 1)]), client: .zero)
        await board.setCannedReply(swapped, for: .pkeyGetAttributes)
        let client = HSMClient(connector: connector, retries: 2)
        await #expect(throws: HSMClientError.damagedReply(function: .pkeyGetAttributes, reason: "attribute types do not match the request")) {
            try await client.pkeyGetAttributes(Samples.pkey, types: types, bufferLength: 0)
        }
        let sent = await board.received.filter { $0.function == .pkeyGetAttributes }.count
        #expect(sent == 3, "sent once and repeated twice")
    }

    @Test func hashsigRangeAttributesFromTheSX1Attributes() async throws {
        let key = try await openKey([
            .hashsigNextIndex: [0, 0, 3, 0x02], .hashsigRangeStart: [0, 0, 3, 0], .hashsigRangeEnd: [0, 0, 4, 0],
        ])
        let range = try await key.hashsigRangeAttributes()
        #expect(range == BoardReport(next: 770, range: LeafRange(768..<1024)))
    }

    @Test func aRangeEndingBelowItsStartIsAnUnexpectedReply() async throws {
        let key = try await openKey([
            .hashsigNextIndex: [0, 0, 0, 9], .hashsigRangeStart: [0, 0, 0, 8], .hashsigRangeEnd: [0, 0, 0, 4],
        ])
        await #expect(throws: HSMClientError.unexpectedReply(function: .pkeyGetAttributes, reason: "hashsig range [8, 4) ends below its start")) {
            try await key.hashsigRangeAttributes()
        }
    }

    @Test func legacyBoardHasNoLeafRange() async throws {
        let key = try await openKey([AttributeType(rawValue: 3): [1]])
        #expect(try await key.hashsigRangeAttributes() == nil)
        let odd = try await openKey([.hashsigNextIndex: [1, 2], .hashsigRangeStart: [0, 0, 0, 0], .hashsigRangeEnd: [0, 0, 0, 8]])
        await #expect(throws: HSMClientError.self) { try await odd.hashsigRangeAttributes() }
    }

    @Test func signVerifyAndPublicKey() async throws {
        let key = try await openKey([:])
        let signature = try await key.sign(Array("abc".utf8))
        #expect(signature == FakeAlpha.signature(Array("abc".utf8)))
        #expect(try await key.verify(Array("abc".utf8), signature: signature))
        #expect(try await key.verify(Array("abd".utf8), signature: signature) == false)
        #expect(try await key.publicKey() == FakeAlpha.publicKey)
        #expect(try await key.keyType() == .ecPrivate)
        try await key.close()
        // A closed handle: length 0, then the board names the error itself.
        await #expect(throws: HSMClientError.device(.keyNotFound)) { try await key.publicKey() }
    }

    @Test func digestFeedsLargeDataInChunks() async throws {
        let client = HSMClient(connector: connector)
        let digest = try await client.digest(algorithm: .sha256, hmacKey: [1, 2, 3])
        let data = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try await digest.update(data)
        let result = try await digest.finalize()
        #expect(result.count == 32)
        #expect(result.prefix(2) == [UInt8(truncatingIfNeeded: data.count), data.reduce(0, &+)])
        let updates = await board.received.filter { $0.function == .hashUpdate }.count
        #expect(updates == 3)
    }

    @Test func matchPagesThroughEveryKey() async throws {
        var names: [KeyName] = []
        var rng = SplitMix64(seed: 42)
        for _ in 0..<150 {
            let name = KeyName(bytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })!
            names.append(name)
            await board.addKey(name, FakeAlpha.Key(type: .rsaPublic, flags: .public))
        }
        let client = HSMClient(connector: connector)
        var found: [KeyName] = []
        for try await name in client.matchKeys(flags: .public, pageSize: 64) { found.append(name) }
        #expect(found == names.sorted())
        #expect(await board.received.filter { $0.function == .pkeyMatch }.count == 3)
    }

    @Test func matchThatDoesNotMoveForwardIsAnError() async throws {
        // A board that answers every page with the same full page would loop for ever.
        let page = RPC.PKeyMatch.encodeReply(.init(state: .token, names: [Samples.name1]), client: .zero)
        await board.setCannedReply(page, for: .pkeyMatch)
        let client = HSMClient(connector: connector)
        var names = client.matchKeys(pageSize: 1).makeAsyncIterator()
        #expect(try await names.next() == Samples.name1)
        await #expect(throws: HSMClientError.self) { try await names.next() }
    }
}
