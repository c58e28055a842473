import AlphaEmulator
import HalRPC
import HashSig
import Testing

/// `--firmware reference`: the stock firmware's behaviour where it differs from SX1
/// (design.md, "Two firmwares, one host"; docs/wire-protocol.md §4.3, §8.7), against real emulator
/// processes, with SX1 beside it where the difference is the point.
@Suite("Reference firmware personality")
struct ReferenceFirmwareTests {
    static let rangeTypes: [AttributeType] = [.hashsigNextIndex, .hashsigRangeStart, .hashsigRangeEnd]
    static let importFlags: KeyFlags = [.digitalSignature, .token]

    @Test("every switch is listed once, on for SX1 and off for the reference")
    func differences() {
        let switches = Mirror(reflecting: Firmware.sx1.behaviour).children.filter { $0.value is Bool }
        #expect(FirmwareBehaviour.differences.count == switches.count)
        for difference in FirmwareBehaviour.differences {
            #expect(Firmware.sx1.behaviour[keyPath: difference.keyPath], "\(difference.name)")
            #expect(!Firmware.reference.behaviour[keyPath: difference.keyPath], "\(difference.name)")
        }
        #expect(EmulatorConfiguration().firmware == .sx1)
        #expect(throws: EmulatorProcess.LaunchError.self) {
            _ = try EmulatorProcess.launch(arguments: ["--firmware", "sx2"])
        }
    }

    @Test("GET_ATTRIBUTES: the range types are absent, as any attribute the key lacks; SET of them is stored")
    func rangeAttributes() async throws {
        let board = try Board.launch(firmware: .reference)
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await client.generateHashsigKey(
            levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4, flags: [.digitalSignature, .token])
        // A key without attributes: 40 even for the length query, and for the values.
        #expect(await status { _ = try await client.pkeyGetAttributes(key.handle, types: Self.rangeTypes, bufferLength: 0) } == .attributeNotFound)
        #expect(await status { _ = try await client.pkeyGetAttributes(key.handle, types: Self.rangeTypes, bufferLength: 12) } == .attributeNotFound)
        #expect(try await key.hashsigRangeAttributes() == nil, "the host sees a board without SX1")

        // With another attribute: the range types report length 0, and their values 40.
        let label = AttributeType(rawValue: 3)
        try await key.updateAttributes([.set(label, Array("ab".utf8))])
        let lengths = try await client.pkeyGetAttributes(key.handle, types: Self.rangeTypes + [label], bufferLength: 0)
        #expect(lengths == .lengths(Self.rangeTypes.map { AttributeLength(type: $0, length: 0) } + [AttributeLength(type: label, length: 2)]))
        #expect(await status { _ = try await client.pkeyGetAttributes(key.handle, types: [.hashsigRangeEnd], bufferLength: 4) } == .attributeNotFound)
        #expect(try await key.hashsigRangeAttributes() == nil)

        // Ordinary attributes here: stored and read back, not refused as SX1 refuses them.
        try await key.updateAttributes([.set(.hashsigRangeEnd, [0, 0, 0, 7])])
        #expect(try await key.attributes([.hashsigRangeEnd, label]) == [.hashsigRangeEnd: [0, 0, 0, 7], label: Array("ab".utf8)])
        // Signing does not touch it: it is not the key's range.
        _ = try await key.sign([1])
        #expect(try await key.attributes([.hashsigRangeEnd]) == [.hashsigRangeEnd: [0, 0, 0, 7]])
    }

    @Test("PKEY_EXPORT ignores shareCount and bisects; flags become 0x29; the share starts at floor((q + end) / 2)",
          .timeLimit(.minutes(5)))
    func exportBisects() async throws {
        let a = try Board.launch(firmware: .reference)
        defer { a.stop() }
        let b = try Board.launch(firmware: .reference)
        defer { b.stop() }
        let onA = try await a.loggedInClient()
        let onB = try await b.loggedInClient()
        let kekek = try HostKEKEK()
        let key = try await onA.generateHashsigKey(
            levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4, flags: [.digitalSignature, .dataEncipherment, .token, .exportable])
        let publicKey = try hssPublicKey(try await key.publicKey())
        for index in 0..<3 { _ = try await key.sign([UInt8(index)]) }

        // q = 3, end = 32: the share is [17, 32) whatever count was asked for, and the reply
        // carries no range for the client to decode.
        let exported = try await key.export(kekek: try await kekek.onSource(onA), shareCount: 8)
        #expect(exported.shareRange == nil)
        let share = try kekek.open(exported)
        #expect(share.qStart == 17 && share.qEnd == 32)
        #expect(try await key.flags() == KeyFlags(rawValue: 0x29), "docs/wire-protocol.md §8.7 step 6")

        // The source goes on at q = 3 and stops at 17.
        var sourceLeaves: [UInt32] = []
        for index in 0..<14 {
            let message = Array("A \(index)".utf8)
            let signature = try await key.sign(message)
            #expect(publicKey.isValidSignature(signature, for: message))
            sourceLeaves.append(try HSS.Signature(bytes: signature).topLeafIndex)
        }
        #expect(sourceLeaves == Array(3..<17))
        #expect(await status { _ = try await key.sign([0]) } == .hashsigKeyExhausted)

        // The share signs from its first leaf on a second reference board.
        let imported = try await onB.importKey(kekek: try await kekek.onDestination(onB), pkcs8: exported.pkcs8, kek: exported.kek, flags: Self.importFlags)
        let signature = try await imported.sign([9])
        #expect(try HSS.Signature(bytes: signature).topLeafIndex == (3 + 32) / 2)
        #expect(publicKey.isValidSignature(signature, for: [9]))
    }

    @Test("PKEY_IMPORT: a share whose I is on the board → 22, on its origin and twice on one board")
    func importOfAKeyAlreadyHere() async throws {
        let a = try Board.launch(firmware: .reference)
        defer { a.stop() }
        let b = try Board.launch(firmware: .reference)
        defer { b.stop() }
        let onA = try await a.loggedInClient()
        let onB = try await b.loggedInClient()
        let kekek = try HostKEKEK()
        let key = try await onA.generateHashsigKey(
            levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4, flags: [.digitalSignature, .token, .exportable])
        let exported = try await key.export(kekek: try await kekek.onSource(onA))
        let kekekOnA = try await kekek.onDestination(onA)
        #expect(await status { _ = try await onA.importKey(kekek: kekekOnA, pkcs8: exported.pkcs8, kek: exported.kek, flags: Self.importFlags) } == .keyNameInUse)
        let kekekOnB = try await kekek.onDestination(onB)
        _ = try await onB.importKey(kekek: kekekOnB, pkcs8: exported.pkcs8, kek: exported.kek, flags: Self.importFlags)
        #expect(await status { _ = try await onB.importKey(kekek: kekekOnB, pkcs8: exported.pkcs8, kek: exported.kek, flags: Self.importFlags) } == .keyNameInUse)
    }

    @Test("a share whose root is not its T1: accepted by the reference (and kept over a restart), refused (17) by SX1",
          .timeLimit(.minutes(5)))
    func importWithoutRootCheck() async throws {
        let source = try Board.launch()
        defer { source.stop() }
        let reference = try Board.launch(firmware: .reference)
        let sx1 = try Board.launch(firmware: .sx1)
        defer { sx1.stop() }
        let onSource = try await source.loggedInClient()
        let onReference = try await reference.loggedInClient()
        let onSX1 = try await sx1.loggedInClient()
        let kekek = try HostKEKEK()
        let key = try await onSource.generateHashsigKey(
            levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4, flags: [.digitalSignature, .token, .exportable])
        let genuine = try kekek.open(try await key.export(kekek: try await kekek.onSource(onSource), shareCount: 8))
        var otherRoot = genuine.root
        otherRoot[0] ^= 1
        let forged = try kekek.wrap(try HashSigPrivateKeyRecord(
            levels: genuine.levels, lmsType: genuine.lmsType, lmotsType: genuine.lmotsType, identifier: genuine.identifier,
            root: otherRoot, seed: genuine.seed, qStart: genuine.qStart, qEnd: genuine.qEnd))

        let kekekOnSX1 = try await kekek.onDestination(onSX1)
        #expect(await status { _ = try await onSX1.importKey(kekek: kekekOnSX1, pkcs8: forged.pkcs8, kek: forged.kek, flags: Self.importFlags) } == .invalidSignature)

        let imported = try await onReference.importKey(
            kekek: try await kekek.onDestination(onReference), pkcs8: forged.pkcs8, kek: forged.kek, flags: Self.importFlags)
        let der = try await imported.publicKey()
        #expect(try HashSigPublicKeyInfo(der: der).root == otherRoot, "the board publishes the share's T1")
        // It signs, from the share's first leaf, under a root that is not T1: no verifier accepts it.
        let signature = try await imported.sign([5])
        #expect(try HSS.Signature(bytes: signature).topLeafIndex == genuine.qStart)
        #expect(!(try hssPublicKey(der).isValidSignature(signature, for: [5])))
        #expect(try await !imported.verify([5], signature: signature))

        // The start-up rebuild does not refuse it either.
        let name = try #require(imported.name)
        await onReference.close()
        reference.stop(keepState: true)
        let again = try reference.restart()
        defer { again.stop() }
        let second = try await again.loggedInClient()
        let reopened = try await second.openKey(name: name)
        #expect(try HSS.Signature(bytes: try await reopened.sign([6])).topLeafIndex == genuine.qStart + 1)
    }
}
