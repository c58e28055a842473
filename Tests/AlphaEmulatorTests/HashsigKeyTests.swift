import AlphaEmulator
import Foundation
import HalRPC
import HashSig
import RFC8554Vectors
import Testing

/// Hashsig keys on the board (docs/wire-protocol.md §8): keygen limits and check order, signing,
/// verification, exhaustion, the SX1 range attributes, restart behaviour.
@Suite("Hashsig keys")
struct HashsigKeyTests {
    static let signingFlags: KeyFlags = [.digitalSignature, .token]

    @Test("generate L=2 H5/W8, sign, verify with the HashSig verifier and over the RPC")
    func signAndVerify() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await client.generateHashsigKey(levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, flags: Self.signingFlags)
        #expect(try await key.keyType() == .hashsigPrivate)
        #expect(try await client.pkeyGetPublicKeyLength(key.handle) == 85)
        let der = try await key.publicKey()
        #expect(der.count == 85)
        let publicKey = try hssPublicKey(der)
        let message = Array("The powers not delegated".utf8)
        // G14: sig_max 2644 is exactly an L=2 H5/W8 signature; one less → 14 and no leaf spent.
        #expect(await status { _ = try await key.sign(message, signatureMaximum: 2643) } == .resultTooLong)
        let signature = try await key.sign(message, signatureMaximum: 2644)
        #expect(signature.count == 2644)
        #expect(publicKey.isValidSignature(signature, for: message))
        let parsed = try HSS.Signature(bytes: signature)
        #expect(parsed.leafIndices == [0, 0], "keygen spent top leaf 0 on the lower tree; this is its first leaf")
        #expect(try await key.verify(message, signature: signature))
        #expect(try await !key.verify(message + [0], signature: signature))
        // A hash handle's digest is the message.
        let digest = try await client.digest(algorithm: .sha256)
        try await digest.update(message)
        let viaHash = try await key.sign(digest: digest)
        let sha = try await { let d = try await client.digest(algorithm: .sha256); try await d.update(message); return try await d.finalize() }()
        #expect(publicKey.isValidSignature(viaHash, for: sha))
        #expect(try HSS.Signature(bytes: viaHash).leafIndices == [0, 1])
        // The public key loads as HASHSIG_PUBLIC and verifies.
        let loaded = try await client.loadKey(der: der, flags: .digitalSignature)
        #expect(try await loaded.keyType() == .hashsigPublic)
        #expect(try await loaded.verify(message, signature: signature))
        #expect(await status { _ = try await loaded.sign(message) } == .unsupportedKey)
        // The range attributes (SX1), read-only.
        #expect(try await ranges(key) == [1, 0, 32])
        #expect(await status { try await key.updateAttributes([.set(.hashsigRangeEnd, [0, 0, 0, 1])]) } == .forbidden)
    }

    @Test("RFC 8554 test case 1: the board's public key encoding loads and verifies the RFC's signature")
    func rfcTestCase1() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let vector = try RFC8554Vectors.load("tc1.vec")
        let info = try HashSigPublicKeyInfo(rawPublicKey: vector.publicKey)
        // docs/wire-protocol.md §8.2's golden encoding of TC1.
        #expect(info.der == hex("""
            30 53 30 0F 06 0B 2A 86 48 86 F7 0D 01 09 10 03 11 05 00 03 40 00 30 3D
            02 01 02 02 01 05 02 01 04 04 10 61 A5 D5 7D 37 F5 E4 6B FB 75 20 80 6B 07 A1 B8
            04 20 50 65 0E 3B 31 FE 4A 77 3E A2 9A 07 F0 9C F2 EA 30 E5 79 F0 DF 58 EF 8E 29 8D A0 43 4C B2 B8 78
            """))
        let key = try await client.loadKey(der: info.der, flags: .digitalSignature)
        #expect(try await key.publicKey() == info.der)
        #expect(try await key.verify(vector.message, signature: vector.signature))
        var bad = vector.signature
        bad[100] ^= 1
        #expect(try await !key.verify(vector.message, signature: bad))
        // A raw RFC 8708 key in the BIT STRING loads (only the OID is checked) but fails at verify.
        let rfc8708 = DER.SubjectPublicKeyInfo(algorithm: DER.AlgorithmIdentifier(.mtsHashSig, parameters: .absent), publicKey: vector.publicKey).der
        let raw = try await client.loadKey(der: rfc8708, flags: .digitalSignature)
        #expect(await status { _ = try await raw.verify(vector.message, signature: vector.signature) } == .asn1ParseFailed)
    }

    @Test("keygen check order and limits (docs/wire-protocol.md §8.4, §8.5)")
    func generateErrors() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = board.client()
        // NOT_READY comes before every other check: wait for the start-up rebuild.
        try await waitUntilHashsigReady(client)
        func generate(_ levels: UInt32, _ lms: UInt32, _ lmots: UInt32, _ flags: KeyFlags = Self.signingFlags) async -> HALError? {
            await status {
                _ = try await client.perform(RPC.PKeyGenerateHashsig.self, .init(
                    session: .zero, levels: levels, lmsType: LMSTypeCode(rawValue: lms), lmotsType: LMOTSTypeCode(rawValue: lmots), flags: flags))
            }
        }
        #expect(await generate(1, 5, 4, KeyFlags(rawValue: 0x40)) == .badArguments)
        #expect(await generate(1, 5, 4) == .forbidden, "not logged in")
        try await client.login(user: .normal, pin: TestPINs.user)
        #expect(await generate(1, 4, 4) == .badArguments, "unknown LMS type (the reference crashes)")
        #expect(await generate(1, 5, 4, .digitalSignature) == .forbidden, "TOKEN required")
        #expect(await generate(1, 5, 4, .token) == .forbidden, "DIGITALSIGNATURE required")
        #expect(await generate(1, 7, 4) == .noKeyIndexSlots, "H15 cannot fit the token keystore")
        #expect(await generate(0, 5, 4) == .badArguments)
        #expect(await generate(9, 5, 4) == .badArguments)
        #expect(await generate(1, 5, 0) == .badArguments)
        #expect(await generate(1, 5, 5) == .badArguments)
        #expect(await generate(1, 5, 1) == .unsupportedKey, "W1 private keys do not fit a keystore block")
        #expect(await generate(4, 5, 2) == .unsupportedKey, "H5/W2 with L=4 signs more than a packet")
        #expect(await generate(7, 6, 3) == .unsupportedKey, "H10/W4 with L=7 likewise")
    }

    @Test("a key signs exactly 2^h times with L=1, then HASHSIG_KEY_EXHAUSTED")
    func exhaustion() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await client.generateHashsigKey(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, flags: Self.signingFlags)
        let publicKey = try hssPublicKey(try await key.publicKey())
        var seen: Set<UInt32> = []
        for index in 0..<32 {
            let message = [UInt8(index)]
            let signature = try await key.sign(message)
            #expect(publicKey.isValidSignature(signature, for: message))
            seen.insert(try HSS.Signature(bytes: signature).topLeafIndex)
        }
        #expect(seen == Set(0..<32))
        #expect(await status { _ = try await key.sign([1]) } == .hashsigKeyExhausted)
        #expect(try await ranges(key) == [32, 0, 32])
        // Two levels of H5: 32 × 32 signatures minus... the top tree's leaves run out last.
    }

    @Test("restart: the token key and its index survive; NOT_READY until rebuilt; each restart spends one top leaf")
    func restart() async throws {
        let board = try Board.launch()
        let client = try await board.loggedInClient()
        let key = try await client.generateHashsigKey(levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, flags: Self.signingFlags)
        let name = try #require(key.name)
        let der = try await key.publicKey()
        let publicKey = try hssPublicKey(der)
        var topLeaves: [UInt32: [UInt8]] = [:]
        func record(_ signature: [UInt8], _ message: [UInt8]) throws {
            #expect(publicKey.isValidSignature(signature, for: message))
            let parsed = try HSS.Signature(bytes: signature)
            let lower = parsed.signedPublicKeys[0].publicKey.bytes
            // One top leaf signs one lower tree, ever.
            if let known = topLeaves[parsed.topLeafIndex] { #expect(known == lower) }
            topLeaves[parsed.topLeafIndex] = lower
        }
        for index in 0..<3 { try record(try await key.sign([UInt8(index)]), [UInt8(index)]) }
        #expect(try await ranges(key) == [1, 0, 32])
        await client.close()
        board.stop(keepState: true)

        // The rebuild waits for a file made only once NOT_READY has been seen, however long
        // the login, open, sign and delete below take on a busy machine.
        let gate = board.stateDirectory + ".rebuild-gate"
        defer { try? FileManager.default.removeItem(atPath: gate) }
        let again = try board.restart(board.arguments.dropFirst(4) + ["--rebuild-gate", gate])
        defer { again.stop() }
        let second = try await again.loggedInClient(hashsigReady: false)
        let reopened = try await second.openKey(name: name)
        #expect(await status { _ = try await reopened.sign([9]) } == .notReady)
        #expect(await status { try await reopened.delete() } == .notReady)
        // The range is not settled until the rebuild has spent its top leaf.
        #expect(await status { _ = try await ranges(reopened) } == .notReady)
        // Public information is there during the rebuild.
        #expect(try await reopened.publicKey() == der)
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        try await waitUntilHashsigReady(second)
        #expect(try await ranges(reopened) == [2, 0, 32], "the restart signed a new lower tree with top leaf 1")
        for index in 3..<6 { try record(try await reopened.sign([UInt8(index)]), [UInt8(index)]) }
        #expect(Set(topLeaves.keys) == [0, 1])
    }

    @Test("delete removes a hashsig key")
    func delete() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let key = try await client.generateHashsigKey(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4, flags: Self.signingFlags)
        try await key.delete()
        #expect(await status { _ = try await client.pkeyOpen(name: try #require(key.name)) } == .keyNotFound)
    }
}

/// The SX1 range attributes of a hashsig key: [next q, qStart, qEnd].
func ranges(_ key: PKey) async throws -> [UInt32] {
    let types: [AttributeType] = [.hashsigNextIndex, .hashsigRangeStart, .hashsigRangeEnd]
    let values = try await key.attributes(types)
    return types.map { type in (values[type] ?? []).reduce(0) { $0 << 8 | UInt32($1) } }
}

/// The RFC 8554 verifier's key for the board's public key DER.
func hssPublicKey(_ der: [UInt8]) throws -> HSS.PublicKey {
    try HSS.PublicKey(bytes: HashSigPublicKeyInfo(der: der).rawPublicKey)
}
