import AlphaEmulator
import CryptechTransport
import HalRPC
import Testing

/// The keystores, handles, attributes and PKEY_MATCH (docs/wire-protocol.md §4.3, §6).
@Suite("Keystore, handles, attributes, match")
struct KeystoreTests {
    static let p256 = CryptoFixtures.p256PKCS8

    @Test("both keystores: flags 0x1 volatile, 0x9 token; token keys survive a restart, volatile ones do not")
    func keystores() async throws {
        let board = try Board.launch()
        let client = try await board.loggedInClient()
        let volatile = try await client.loadKey(der: Self.p256, flags: KeyFlags(rawValue: 0x1))
        let token = try await client.loadKey(der: Self.p256, flags: KeyFlags(rawValue: 0x9))
        // Handle values (G5 on the reference, random with SX1): ClientIsolationTests.
        #expect(volatile.handle.rawValue & 0x8000_0000 == 0 && token.handle.rawValue & 0x8000_0000 != 0)
        let volatileName = try #require(volatile.name)
        let tokenName = try #require(token.name)
        // Names are random v4 UUIDs.
        #expect(volatileName.bytes[6] >> 4 == 4 && volatileName.bytes[8] >> 6 == 2)
        try await token.updateAttributes([.set(AttributeType(rawValue: 7), Array("label".utf8))])
        #expect(try await client.openKey(name: volatileName).keyType() == .ecPrivate)
        await client.close()
        board.stop(keepState: true)

        let again = try board.restart()
        defer { again.stop() }
        let second = try await again.loggedInClient()
        let reopened = try await second.openKey(name: tokenName)
        #expect(try await reopened.flags() == KeyFlags(rawValue: 0x9))
        #expect(try await reopened.publicKey() == CryptoFixtures.p256SPKI)
        #expect(try await reopened.attributes([AttributeType(rawValue: 7)]) == [AttributeType(rawValue: 7): Array("label".utf8)])
        #expect(await status { _ = try await second.pkeyOpen(name: volatileName) } == .keyNotFound)
    }

    @Test("attributes of 0 to 2000 bytes, replaced, deleted by NIL; the two-phase query")
    func attributes() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await client.loadKey(der: Self.p256, flags: [.digitalSignature, .token])
        let types = (0..<6).map { AttributeType(rawValue: UInt32(100 + $0)) }
        // A key with no attributes: 40 even for the length query.
        #expect(await status { _ = try await client.pkeyGetAttributes(key.handle, types: [types[0]], bufferLength: 0) } == .attributeNotFound)
        let sizes = [0, 1, 3, 500, 1999, 2000]
        var values: [AttributeType: [UInt8]] = [:]
        for (type, size) in zip(types, sizes) {
            values[type] = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ size) }
        }
        try await key.updateAttributes(types.map { .set($0, values[$0]!) })
        guard case .lengths(let lengths) = try await client.pkeyGetAttributes(key.handle, types: types, bufferLength: 0) else {
            Issue.record("length query answered values")
            return
        }
        #expect(lengths.map(\.length) == sizes.map(UInt32.init))
        guard case .values(let got) = try await client.pkeyGetAttributes(key.handle, types: types, bufferLength: sizes.reduce(0, +)) else {
            Issue.record("value query answered lengths")
            return
        }
        #expect(got.map(\.type) == types)
        #expect(got.map(\.value) == types.map { values[$0]! })
        // Too small a buffer → 14; an absent type → 0 in the length query, 40 in a value query.
        #expect(await status { _ = try await client.pkeyGetAttributes(key.handle, types: types, bufferLength: 4000) } == .resultTooLong)
        let absent = AttributeType(rawValue: 999)
        guard case .lengths(let withAbsent) = try await client.pkeyGetAttributes(key.handle, types: [absent, types[3]], bufferLength: 0) else { return }
        #expect(withAbsent.map(\.length) == [0, 500])
        #expect(await status { _ = try await client.pkeyGetAttributes(key.handle, types: [absent], bufferLength: 10) } == .attributeNotFound)
        // Replace one, delete one by NIL (deleting an absent one is fine).
        try await key.updateAttributes([.set(types[4], [9, 9]), .delete(types[5]), .delete(absent)])
        let after = try await key.attributes(types)
        #expect(after[types[4]] == [9, 9])
        #expect(after[types[5]] == nil)
        #expect(after[types[3]] == values[types[3]])
        // Limits: count 0 → 1 (both), sizes beyond the reply → 29, beyond a keystore block → 14.
        #expect(await status { try await client.pkeySetAttributes(key.handle, []) } == .badArguments)
        #expect(await status { _ = try await client.pkeyGetAttributes(key.handle, types: [], bufferLength: 0) } == .badArguments)
        #expect(await status { _ = try await client.pkeyGetAttributes(key.handle, types: [types[0]], bufferLength: 16364) } == .rpcPacketOverflow)
        #expect(await status { try await key.updateAttributes([.set(AttributeType(rawValue: 1), [UInt8](repeating: 1, count: 8000))]) } == .resultTooLong)
        #expect(await status { try await client.pkeySetAttributes(PKeyHandle(rawValue: 5), [.delete(types[0])]) } == .keyNotFound)
    }

    @Test("PKEY_MATCH: filters, paging across both keystores, login rule, limits")
    func match() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let label = AttributeType(rawValue: 1)
        var tokenNames: [KeyName] = []
        var volatileNames: [KeyName] = []
        for index in 0..<5 {
            let token = try await client.loadKey(der: Self.p256, flags: [.digitalSignature, .token])
            tokenNames.append(try #require(token.name))
            let volatile = try await client.loadKey(der: CryptoFixtures.rsa1024SPKI, flags: .digitalSignature)
            volatileNames.append(try #require(volatile.name))
            if index < 2 { try await token.updateAttributes([.set(label, Array("mine".utf8))]) }
        }
        func all(_ request: RPC.PKeyMatch.Request) async throws -> [KeyName] {
            var names: [KeyName] = []
            var page = request
            while true {
                let reply = try await client.pkeyMatch(page)
                names += reply.names
                guard reply.names.count == Int(page.resultMaximum), let last = reply.names.last else { return names }
                page.state = reply.state
                page.previous = last
            }
        }
        func request(type: KeyType = .none, mask: KeyFlags = [], flags: KeyFlags = [], attributes: [Attribute] = [], size: UInt32 = 2) -> RPC.PKeyMatch.Request {
            .init(session: .zero, type: type, curve: .none, mask: mask, flags: flags, attributes: attributes, state: .start, resultMaximum: size, previous: .zero)
        }
        // Token keystore first, then volatile, each in UUID order; pages of 2.
        #expect(try await all(request()) == tokenNames.sorted() + volatileNames.sorted())
        #expect(try await all(request(size: 64)) == tokenNames.sorted() + volatileNames.sorted())
        #expect(try await all(request(mask: .token, flags: .token)) == tokenNames.sorted())
        #expect(try await all(request(mask: .token)) == volatileNames.sorted())
        #expect(try await all(request(type: .rsaPublic)) == volatileNames.sorted())
        #expect(try await all(request(attributes: [Attribute(type: label, value: Array("mine".utf8))])) == Array(tokenNames.prefix(2)).sorted())
        #expect(try await all(request(attributes: [Attribute(type: label, value: Array("min".utf8))])).isEmpty)
        // The first page stops in the state it reached.
        let first = try await client.pkeyMatch(request())
        #expect(first.state == .token && first.names.count == 2)
        // Limits: result_max 0 → 1, 819 → 29, state 4 → 1; previous of the wrong length → 31.
        #expect(await status { _ = try await client.pkeyMatch(request(size: 0)) } == .badArguments)
        #expect(await status { _ = try await client.pkeyMatch(request(size: 819)) } == .rpcPacketOverflow)
        _ = try await client.pkeyMatch(request(size: 818))
        var badState = request()
        badState.state = MatchState(rawValue: 4)
        #expect(await status { _ = try await client.pkeyMatch(badState) } == .badArguments)
        // Not logged in: status 0, state echoed, nothing (the firmware's answer).
        try await client.logout()
        var notLoggedIn = request()
        notLoggedIn.state = .volatile
        let empty = try await client.pkeyMatch(notLoggedIn)
        #expect(empty.names.isEmpty && empty.state == .volatile)
    }

    @Test("PKEY_OPEN, CLOSE, DELETE: login, visibility of volatile keys, handles")
    func openCloseDelete() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let tty = try await SharedTTY.open(board.process.rpcPath)
        let alice = tty.client(ClientHandle(rawValue: 0xA1))
        let bob = tty.client(ClientHandle(rawValue: 0xB0))
        let zero = tty.client(.zero)
        try await alice.login(user: .normal, pin: TestPINs.user)
        try await bob.login(user: .normal, pin: TestPINs.user)
        let alicesVolatile = try await alice.loadKey(der: Self.p256, flags: .digitalSignature)
        let token = try await alice.loadKey(der: Self.p256, flags: [.digitalSignature, .token])
        // Another client sees the token key but not Alice's volatile key.
        _ = try await bob.pkeyOpen(name: try #require(token.name))
        #expect(await status { _ = try await bob.pkeyOpen(name: try #require(alicesVolatile.name)) } == .keyNotFound)
        // Volatile keys of client 0 are visible to every client; WHEEL sees all.
        try await zero.login(user: .normal, pin: TestPINs.user)
        let shared = try await zero.loadKey(der: Self.p256, flags: .digitalSignature)
        _ = try await bob.pkeyOpen(name: try #require(shared.name))
        try await bob.login(user: .wheel, pin: TestPINs.wheel)
        _ = try await bob.pkeyOpen(name: try #require(alicesVolatile.name))
        // OPEN needs a NORMAL or WHEEL login; unknown names → 21.
        let carol = tty.client(ClientHandle(rawValue: 0xC0))
        #expect(await status { _ = try await carol.pkeyOpen(name: try #require(token.name)) } == .forbidden)
        try await carol.login(user: .securityOfficer, pin: TestPINs.so)
        #expect(await status { _ = try await carol.pkeyOpen(name: try #require(token.name)) } == .forbidden)
        #expect(await status { _ = try await alice.pkeyOpen(name: KeyName(bytes: [UInt8](repeating: 7, count: 16))!) } == .keyNotFound)
        // CLOSE: unknown → 21; a closed handle is gone.
        let handle = try await alice.pkeyOpen(name: try #require(token.name))
        try await alice.pkeyClose(handle)
        #expect(await status { try await alice.pkeyClose(handle) } == .keyNotFound)
        #expect(await status { _ = try await alice.pkeyGetKeyType(handle) } == .keyNotFound)
        #expect(await status { _ = try await alice.pkeyGetKeyFlags(handle) } == .keyNotFound)
        #expect(await status { _ = try await alice.pkeyGetKeyCurve(handle) } == .keyNotFound)
        #expect(await status { _ = try await alice.pkeyGetPublicKey(handle, maximumLength: 200) } == .keyNotFound)
        #expect(try await alice.pkeyGetPublicKeyLength(handle) == 0)
        // DELETE and SET_ATTRIBUTES need the caller logged in as NORMAL or WHEEL: once Alice is
        // only SO, her handle may not delete a token key; Bob's request naming her handle finds
        // no key (SX1; the reference judges the opener's login: ClientIsolationTests).
        let deletable = try await alice.pkeyOpen(name: try #require(token.name))
        #expect(await status { _ = try await alice.pkeyGetPublicKey(deletable, maximumLength: 10) } == .resultTooLong)
        try await alice.login(user: .securityOfficer, pin: TestPINs.so)
        #expect(await status { try await alice.pkeyDelete(deletable) } == .forbidden)
        #expect(await status { try await bob.pkeyDelete(deletable) } == .keyNotFound)
        #expect(await status { try await alice.pkeySetAttributes(deletable, [.delete(AttributeType(rawValue: 1))]) } == .forbidden)
        try await bob.pkeyDelete(try bob.pkeyOpen(name: try #require(token.name)))
        #expect(await status { _ = try await bob.pkeyOpen(name: try #require(token.name)) } == .keyNotFound)
        await tty.close()
    }

    @Test("LOGOUT deletes the client's volatile keys and releases its handles; handle 0's keys survive")
    func logoutCleanup() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let tty = try await SharedTTY.open(board.process.rpcPath)
        let alice = tty.client(ClientHandle(rawValue: 0xA1))
        let wheel = tty.client(ClientHandle(rawValue: 0xEE))
        let zero = tty.client(.zero)
        try await alice.login(user: .normal, pin: TestPINs.user)
        try await wheel.login(user: .wheel, pin: TestPINs.wheel)
        try await zero.login(user: .normal, pin: TestPINs.user)
        let volatile = try await alice.loadKey(der: Self.p256, flags: .digitalSignature)
        let token = try await alice.loadKey(der: Self.p256, flags: [.digitalSignature, .token])
        let sharedKey = try await zero.loadKey(der: Self.p256, flags: .digitalSignature)
        try await alice.logout()
        #expect(await status { _ = try await wheel.pkeyOpen(name: try #require(volatile.name)) } == .keyNotFound)
        #expect(await status { _ = try await alice.pkeyGetKeyType(token.handle) } == .keyNotFound, "handle released")
        _ = try await wheel.pkeyOpen(name: try #require(token.name))
        try await zero.logout()
        _ = try await wheel.pkeyOpen(name: try #require(sharedKey.name))
        _ = try await zero.pkeyGetKeyType(sharedKey.handle)
        // A volatile PUBLIC key loaded without login is deleted at logout too.
        let anonymous = try await alice.loadKey(der: CryptoFixtures.rsa1024SPKI, flags: [.digitalSignature, .public])
        try await alice.logout()
        #expect(await status { _ = try await wheel.pkeyOpen(name: try #require(anonymous.name)) } == .keyNotFound)
        await tty.close()
    }

    @Test("256 key handles board-wide; one more → 23")
    func handleSlots() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await client.loadKey(der: Self.p256, flags: [.digitalSignature, .token])
        let name = try #require(key.name)
        var handles: Set<PKeyHandle> = [key.handle]
        for _ in 1..<256 { handles.insert(try await client.pkeyOpen(name: name)) }
        #expect(handles.count == 256)
        #expect(await status { _ = try await client.pkeyOpen(name: name) } == .noKeySlotsAvailable)
        #expect(await status { _ = try await client.loadKey(der: Self.p256, flags: .digitalSignature) } == .noKeySlotsAvailable)
        try await client.pkeyClose(key.handle)
        _ = try await client.pkeyOpen(name: name)
    }

    @Test("PKEY_OPEN with a name that is not 16 bytes → 31")
    func badNameLength() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let link = try await board.rawLink()
        try await link.send(hex("0000000E 00000000 00000000 0000000F") + [UInt8](repeating: 1, count: 16))
        #expect(try await link.receive(timeout: .seconds(5)) == hex("0000000E 00000000 0000001F"))
        await link.close()
    }
}
