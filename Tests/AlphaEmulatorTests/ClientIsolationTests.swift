import AlphaEmulator
import HalRPC
import HashSig
import Testing

/// One client word against another's keys (issue 13; docs/wire-protocol.md §13 items 19-21), on both
/// personalities: SX1 refuses what the reference lets through, and the reference keeps its
/// weaknesses so that tests elsewhere can show the muxd protecting a stock board. Two client
/// words share one emulator tty (``SharedTTY``), as two connections of the muxd do.
@Suite("Client isolation")
struct ClientIsolationTests {
    static let alice = ClientHandle(rawValue: 0xA1)
    static let bob = ClientHandle(rawValue: 0xB2)
    static let message: [UInt8] = Array("a message".utf8)
    static let label = AttributeType(rawValue: 7)

    @Test("Bob (never logged in) signs, reads, exports and deletes with Alice's handles: unknown to SX1, obeyed by the reference",
          arguments: Firmware.allCases)
    func anotherClientsHandles(firmware: Firmware) async throws {
        let board = try Board.launch(firmware: firmware)
        defer { board.stop() }
        let tty = try await SharedTTY.open(board.process.rpcPath)
        let alice = tty.client(Self.alice)
        let bob = tty.client(Self.bob)
        try await alice.login(user: .normal, pin: TestPINs.user)
        let key = try await alice.generateHashsigKey(
            levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4, flags: [.digitalSignature, .token, .exportable])
        let name = try #require(key.name)
        try await key.updateAttributes([.set(Self.label, Array("Alice's".utf8))])
        let hash = try await alice.hashInitialize(algorithm: .sha256)
        let range = try await key.hashsigRangeAttributes()
        // Bob's own KEKEK, an RSA public key whose private half he keeps: PUBLIC and volatile,
        // so he loads it without a login.
        let kekek = try HostKEKEK()
        let bobsKEKEK = try await bob.loadKey(der: kekek.spki, flags: [.keyEncipherment, .public])

        switch firmware {
        case .sx1:
            #expect(await status { _ = try await bob.pkeySign(key.handle, input: Self.message, signatureMaximum: 16000) } == .keyNotFound)
            #expect(await status { _ = try await bob.pkeyGetAttributes(key.handle, types: [Self.label], bufferLength: 64) } == .keyNotFound)
            #expect(await status { _ = try await bob.pkeyGetKeyType(key.handle) } == .keyNotFound)
            #expect(try await bob.pkeyGetPublicKeyLength(key.handle) == 0, "as for an unknown handle: status 0, length 0")
            #expect(await status { _ = try await bob.pkeyExport(key.handle, kekek: bobsKEKEK.handle) } == .keyNotFound)
            #expect(await status { _ = try await bob.pkeyExport(key.handle, kekek: bobsKEKEK.handle, shareCount: 4) } == .keyNotFound)
            #expect(await status { try await bob.hashUpdate(hash: hash, data: [1]) } == .badArguments)
            #expect(await status { _ = try await bob.hashFinalize(hash: hash, length: 32) } == .badArguments)
            #expect(await status { try await bob.pkeyClose(key.handle) } == .keyNotFound)
            #expect(await status { try await bob.pkeyDelete(key.handle) } == .keyNotFound)
            // Alice's key is untouched: same range, still there, her handles still work.
            #expect(range != nil)
            #expect(try await key.hashsigRangeAttributes() == range)
            #expect(try await alice.openKey(name: name).keyType() == .hashsigPrivate)
            #expect(try await key.attributes([Self.label]) == [Self.label: Array("Alice's".utf8)])
            #expect(try await alice.hashFinalize(hash: hash, length: 32).count == 32)
        case .reference:
            // docs/wire-protocol.md §13.19: possession of the handle value is the only check.
            let signature = try await bob.pkeySign(key.handle, input: Self.message, signatureMaximum: 16000)
            #expect(try await key.verify(Self.message, signature: signature))
            #expect(try await bob.pkeyGetAttributes(key.handle, types: [Self.label], bufferLength: 64)
                == .values([Attribute(type: Self.label, value: Array("Alice's".utf8))]))
            #expect(try await bob.pkeyGetPublicKeyLength(key.handle) == HashSigPublicKeyInfo.derLength)
            try await bob.hashUpdate(hash: hash, data: [1])
            // Issue 13's SEED theft: a share of Alice's key wrapped to Bob, who unwraps it. The
            // board bisects what is left after Bob's signature, [1, 32): the share is [16, 32).
            let stolen = try kekek.open(try await bob.pkeyExport(key.handle, kekek: bobsKEKEK.handle))
            #expect(stolen.publicKeyInfo.der == (try await key.publicKey()))
            #expect(stolen.qStart == 16 && stolen.qEnd == 32)
            // DELETE is judged for the client that opened the handle, Alice, logged in.
            try await bob.pkeyDelete(key.handle)
            #expect(await status { _ = try await alice.openKey(name: name) } == .keyNotFound)
        }
        await tty.close()
    }

    @Test("SIGN, EXPORT, DELETE, SET_ATTRIBUTES by a caller no longer NORMAL: 26 with SX1; the reference signs and exports",
          arguments: Firmware.allCases)
    func callerLogin(firmware: Firmware) async throws {
        let board = try Board.launch(firmware: firmware)
        defer { board.stop() }
        let tty = try await SharedTTY.open(board.process.rpcPath)
        let alice = tty.client(Self.alice)
        let bob = tty.client(Self.bob)
        try await alice.login(user: .normal, pin: TestPINs.user)
        let key = try await alice.loadKey(der: CryptoFixtures.p256PKCS8, flags: [.digitalSignature, .token, .exportable])
        let kekek = try await alice.loadKey(der: try HostKEKEK().spki, flags: [.keyEncipherment, .public])
        // Her own handles stay open; her login is now one that may not use private keys.
        try await alice.login(user: .securityOfficer, pin: TestPINs.so)
        let sign = await status { _ = try await key.sign(CryptoFixtures.p256Digest) }
        let export = await status { _ = try await key.export(kekek: kekek) }
        switch firmware {
        case .sx1:
            #expect(sign == .forbidden)
            #expect(export == .forbidden)
        case .reference:
            #expect(sign == nil)
            #expect(export == nil)
        }
        // Both: DELETE and SET_ATTRIBUTES need NORMAL or WHEEL (the caller's, or on the
        // reference the opener's, which is the same client here).
        #expect(await status { try await key.updateAttributes([.set(Self.label, [1])]) } == .forbidden)
        #expect(await status { try await key.delete() } == .forbidden)
        try await alice.login(user: .normal, pin: TestPINs.user)
        _ = try await key.sign(CryptoFixtures.p256Digest)

        // A key with PUBLIC and not TOKEN stays usable without login (writable()'s rule).
        let open = try await bob.loadKey(der: CryptoFixtures.p256PKCS8, flags: [.digitalSignature, .public, .exportable])
        _ = try await open.sign(CryptoFixtures.p256Digest)
        _ = try await open.export(kekek: try await bob.loadKey(der: try HostKEKEK().spki, flags: [.keyEncipherment, .public]))
        try await open.updateAttributes([.set(Self.label, [1])])
        try await open.delete()
        await tty.close()
    }

    @Test("LOGOUT_ALL from a NORMAL client: 26 with SX1 (WHEEL or SO may); the reference logs everyone out",
          arguments: Firmware.allCases)
    func logoutAll(firmware: Firmware) async throws {
        let board = try Board.launch(firmware: firmware)
        defer { board.stop() }
        let tty = try await SharedTTY.open(board.process.rpcPath)
        let alice = tty.client(Self.alice)
        let bob = tty.client(Self.bob)
        let anonymous = tty.client(ClientHandle(rawValue: 0xC3))
        try await alice.login(user: .normal, pin: TestPINs.user)
        try await bob.login(user: .normal, pin: TestPINs.user)
        switch firmware {
        case .sx1:
            #expect(await status { try await bob.logoutAll() } == .forbidden)
            #expect(await status { try await anonymous.logoutAll() } == .forbidden)
            #expect(try await alice.isLoggedIn(user: .normal))
            try await bob.login(user: .securityOfficer, pin: TestPINs.so)
            try await bob.logoutAll()
        case .reference:
            // docs/wire-protocol.md §13.21: no login needed.
            try await anonymous.logoutAll()
        }
        #expect(try await !alice.isLoggedIn(user: .normal))
        await tty.close()
    }

    @Test("LOGOUT releases the caller's pkey and hash handles with SX1; the reference releases none",
          arguments: Firmware.allCases)
    func logoutReleasesHandles(firmware: Firmware) async throws {
        let board = try Board.launch(firmware: firmware)
        defer { board.stop() }
        let alice = try await board.loggedInClient(handle: Self.alice)
        let key = try await alice.loadKey(der: CryptoFixtures.p256PKCS8, flags: [.digitalSignature, .token])
        let hash = try await alice.hashInitialize(algorithm: .sha256)
        let hmac = try await alice.hashInitialize(algorithm: .sha256, key: [UInt8](repeating: 7, count: 32))
        try await alice.logout()
        switch firmware {
        case .sx1:
            #expect(await status { _ = try await key.keyType() } == .keyNotFound)
            #expect(await status { try await alice.hashUpdate(hash: hash, data: [1]) } == .badArguments)
            #expect(await status { try await alice.hashUpdate(hash: hmac, data: [1]) } == .badArguments)
        case .reference:
            // docs/wire-protocol.md §6 [REF BUG]: the token key's handle and the hash handles stay open.
            #expect(try await key.keyType() == .ecPrivate)
            try await alice.hashUpdate(hash: hash, data: [1])
            try await alice.hashUpdate(hash: hmac, data: [1])
        }
        await alice.close()
    }

    @Test("handle values: random with SX1, the top bit still telling token keys and HMACs; the reference's index | counter << 16",
          arguments: Firmware.allCases)
    func handleValues(firmware: Firmware) async throws {
        let board = try Board.launch(firmware: firmware)
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let volatile = try await client.loadKey(der: CryptoFixtures.p256PKCS8, flags: .digitalSignature)
        let token = try await client.loadKey(der: CryptoFixtures.p256PKCS8, flags: [.digitalSignature, .token])
        let first = try await client.pkeyOpen(name: try #require(token.name))
        let second = try await client.pkeyOpen(name: try #require(token.name))
        let hash = try await client.hashInitialize(algorithm: .sha256)
        let hmac = try await client.hashInitialize(algorithm: .sha256, key: [UInt8](repeating: 7, count: 32))
        let pkeys = [volatile.handle, token.handle, first, second].map(\.rawValue)
        #expect(pkeys.map { $0 & 0x8000_0000 } == [0, 0x8000_0000, 0x8000_0000, 0x8000_0000])
        #expect(hash.rawValue & 0x8000_0000 == 0 && hmac.rawValue & 0x8000_0000 != 0)
        switch firmware {
        case .sx1:
            #expect(Set(pkeys).count == pkeys.count && !pkeys.contains(0) && hash.rawValue != 0)
            // Not the reference's numbers, and consecutive opens are not one counter step apart.
            #expect(pkeys != [0x0001_0000, 0x8002_0001, 0x8003_0002, 0x8004_0003])
            #expect(![0x0001_0000, 0x0001_0001].contains(second.rawValue &- first.rawValue))
            #expect(hash.rawValue != 0x0001_0000)
        case .reference:
            // G5: a fresh board's first volatile and token handles, then one counter step each.
            #expect(pkeys == [0x0001_0000, 0x8002_0001, 0x8003_0002, 0x8004_0003])
            #expect(hash.rawValue == 0x0001_0000)
        }
        await client.close()
    }
}
