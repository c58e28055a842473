import AlphaEmulator
import HalRPC
import Testing

/// RSA through the RPC as existing board clients use it (docs/wire-protocol.md §4.3): PKEY_LOAD of
/// PKCS#8 and SPKI, PKCS#1 v1.5 signatures of a DigestInfo (exact, as RSA signing is
/// deterministic), PKEY_VERIFY, keygen with e = 65537. Keys and signatures come from the
/// crypto engineer's fixtures, made with Python's `cryptography`.
@Suite("RSA keys")
struct RSAKeyRPCTests {
    static let keys: [(bits: Int, pkcs8: [UInt8], spki: [UInt8], signature: [UInt8])] = [
        (1024, CryptoFixtures.rsa1024PKCS8, CryptoFixtures.rsa1024SPKI, CryptoFixtures.rsa1024Signature),
        (2048, CryptoFixtures.rsa2048PKCS8, CryptoFixtures.rsa2048SPKI, CryptoFixtures.rsa2048Signature),
        (4096, CryptoFixtures.rsa4096PKCS8, CryptoFixtures.rsa4096SPKI, CryptoFixtures.rsa4096Signature),
    ]

    @Test("RSA 1024/2048/4096: load, exact PKCS#1 v1.5 signature of a DigestInfo, verify, public key")
    func loadSignVerify() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        for (bits, pkcs8, spki, expected) in Self.keys {
            let key = try await client.loadKey(der: pkcs8, flags: .digitalSignature)
            #expect(try await key.keyType() == .rsaPrivate)
            #expect(try await key.curve() == .none)
            #expect(try await key.flags() == .digitalSignature)
            #expect(try await key.publicKey() == spki, "RSA-\(bits) public key")
            let signature = try await key.sign(CryptoFixtures.sha256DigestInfo)
            #expect(signature == expected, "RSA-\(bits) signature")
            // The same signature from a hash handle: the server builds the DigestInfo (§7).
            let digest = try await client.digest(algorithm: .sha256)
            try await digest.update(CryptoFixtures.message)
            #expect(try await key.sign(digest: digest) == expected)
            #expect(try await key.verify(CryptoFixtures.sha256DigestInfo, signature: expected))

            let publicKey = try await client.loadKey(der: spki, flags: .digitalSignature)
            #expect(try await publicKey.keyType() == .rsaPublic)
            #expect(try await publicKey.publicKey() == spki)
            #expect(try await publicKey.verify(CryptoFixtures.sha256DigestInfo, signature: expected))
            var forged = expected
            forged[forged.count / 2] ^= 1
            #expect(try await !publicKey.verify(CryptoFixtures.sha256DigestInfo, signature: forged))
            let verifyDigest = try await client.digest(algorithm: .sha256)
            try await verifyDigest.update(CryptoFixtures.message)
            #expect(try await publicKey.verify(digest: verifyDigest, signature: expected))
            #expect(await status { _ = try await publicKey.sign(CryptoFixtures.sha256DigestInfo) } == .unsupportedKey)
        }
    }

    @Test("RSA keygen 1024 and 2048 with e = 65537: sign and verify round trip")
    func generate() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        for bits in [1024, 2048] {
            let key = try await client.generateRSAKey(keyLength: bits, flags: [.digitalSignature, .token])
            #expect(key.handle.rawValue & 0x8000_0000 != 0, "token key handles carry the top bit")
            #expect(try await key.keyType() == .rsaPrivate)
            let signature = try await key.sign(CryptoFixtures.sha256DigestInfo)
            #expect(signature.count == bits / 8)
            #expect(try await key.verify(CryptoFixtures.sha256DigestInfo, signature: signature))
            let spki = try await key.publicKey()
            let publicKey = try await client.loadKey(der: spki, flags: .digitalSignature)
            #expect(try await publicKey.verify(CryptoFixtures.sha256DigestInfo, signature: signature))
            // e = 65537 sits at the end of the SPKI: INTEGER 01 00 01.
            #expect(spki.suffix(5) == [0x02, 0x03, 0x01, 0x00, 0x01])
        }
    }

    @Test("RSA keygen 4096 (the one slow keygen)", .timeLimit(.minutes(3)))
    func generate4096() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await client.generateRSAKey(keyLength: 4096, flags: .digitalSignature)
        let signature = try await key.sign(CryptoFixtures.sha256DigestInfo)
        #expect(signature.count == 512)
        #expect(try await key.verify(CryptoFixtures.sha256DigestInfo, signature: signature))
    }

    @Test("keygen and load argument checks, in the firmware's order")
    func generateErrors() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        func generate(_ bits: UInt32, _ exponent: [UInt8] = [1, 0, 1], _ flags: KeyFlags = .digitalSignature) async -> HALError? {
            await status { _ = try await client.perform(RPC.PKeyGenerateRSA.self, .init(session: .zero, keyLength: bits, publicExponent: exponent, flags: flags)) }
        }
        // Argument checks come before the login check.
        #expect(await generate(0) == .badArguments)
        #expect(await generate(1001) == .badArguments)
        #expect(await generate(1024, []) == .badArguments)
        #expect(await generate(1024, [1, 0, 1], KeyFlags(rawValue: 0x40)) == .badArguments)
        #expect(await generate(1024) == .forbidden)
        #expect(await status { _ = try await client.loadKey(der: CryptoFixtures.rsa1024PKCS8, flags: .digitalSignature) } == .forbidden)
        #expect(await status { _ = try await client.loadKey(der: CryptoFixtures.rsa1024PKCS8, flags: [.digitalSignature, .token, .public]) } == .forbidden)
        // PUBLIC and volatile needs no login.
        let open = try await client.loadKey(der: CryptoFixtures.rsa1024SPKI, flags: [.digitalSignature, .public])
        #expect(try await open.keyType() == .rsaPublic)
        try await client.login(user: .normal, pin: TestPINs.user)
        #expect(await generate(512) == .unsupportedKey)
        #expect(await generate(1024, [1, 0, 0]) == .badArguments)
        #expect(await status { _ = try await client.loadKey(der: [], flags: .digitalSignature) } == .badArguments)
        #expect(await status { _ = try await client.loadKey(der: [0x30, 0x03, 0x02, 0x01, 0x00], flags: .digitalSignature) } == .asn1ParseFailed)
        // An SPKI with an algorithm the board does not know (id-dsa).
        let dsa = hex("30 1A 30 09 06 07 2A 86 48 CE 38 04 01 03 0D 00 30 0A 02 01 01 02 01 01 02 02 01 01")
        #expect(await status { _ = try await client.loadKey(der: dsa, flags: .digitalSignature) } == .unsupportedKey)
    }

    @Test("sign and verify error paths: sizes, handles, flags")
    func signErrors() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await client.loadKey(der: CryptoFixtures.rsa2048PKCS8, flags: .digitalSignature)
        let input = CryptoFixtures.sha256DigestInfo
        func sign(_ pkey: PKeyHandle, hash: HashHandle = .noHandle, input: [UInt8], max: UInt32) async -> HALError? {
            await status { _ = try await client.perform(RPC.PKeySign.self, .init(pkey: pkey, hash: hash, input: input, signatureMaximum: max)) }
        }
        #expect(await sign(key.handle, input: input, max: 16369) == .rpcPacketOverflow)
        #expect(await sign(key.handle, input: input, max: 0) == .badArguments)
        #expect(await sign(key.handle, input: [], max: 256) == .badArguments)
        let hash = try await client.hashInitialize(algorithm: .sha256)
        #expect(await sign(key.handle, hash: hash, input: input, max: 256) == .badArguments)
        #expect(await sign(PKeyHandle(rawValue: 0x0042_0007), input: input, max: 256) == .keyNotFound)
        #expect(await sign(key.handle, input: input, max: 255) == .resultTooLong)
        let noUsage = try await client.loadKey(der: CryptoFixtures.rsa2048PKCS8, flags: .keyEncipherment)
        #expect(await sign(noUsage.handle, input: input, max: 256) == .forbidden)
        #expect(await status { _ = try await noUsage.verify(input, signature: CryptoFixtures.rsa2048Signature) } == .forbidden)
        #expect(await status { _ = try await client.perform(RPC.PKeyVerify.self, .init(pkey: key.handle, hash: .noHandle, input: input, signature: [])) } == .badArguments)
        #expect(await status { _ = try await client.perform(RPC.PKeyVerify.self, .init(pkey: key.handle, hash: .noHandle, input: [], signature: [1])) } == .badArguments)
        // SX1: the handle is this client word's; another one gets 21 (the reference signs with
        // it: ClientIsolationTests).
        await client.close()
        let another = try await board.clientAfterClose(ClientHandle(rawValue: 99))
        #expect(await status { _ = try await another.pkeySign(key.handle, input: input, signatureMaximum: 256) } == .keyNotFound)
    }
}

