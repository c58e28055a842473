import AlphaEmulator
import HalRPC
import HashSig
import Testing

/// PKEY_EXPORT and PKEY_IMPORT with a KEKEK (docs/wire-protocol.md §9), hashsig shares by the reference
/// bisection and by SX1's exact share count (design.md), between emulator processes.
@Suite("Export and import")
struct ExportImportTests {
    static let kekekFlags: KeyFlags = [.keyEncipherment, .token]

    /// An RSA KEKEK generated on `destination`, and its public key loaded on `source`.
    static func kekek(from destination: HSMClient, to source: HSMClient) async throws -> (private: PKey, public: PKey) {
        let kekek = try await destination.generateRSAKey(keyLength: 2048, flags: kekekFlags)
        let loaded = try await source.loadKey(der: try await kekek.publicKey(), flags: .keyEncipherment)
        return (kekek, loaded)
    }

    @Test("an EC key moves between boards; the sizes of docs/wire-protocol.md §9.2")
    func ecKey() async throws {
        let a = try Board.launch()
        defer { a.stop() }
        let b = try Board.launch()
        defer { b.stop() }
        let source = try await a.loggedInClient()
        let destination = try await b.loggedInClient()
        let (kekek, loaded) = try await Self.kekek(from: destination, to: source)
        let key = try await source.generateECKey(curve: .p256, flags: [.digitalSignature, .exportable, .token])
        let exported = try await key.export(kekek: loaded)
        #expect(exported.shareRange == nil)
        #expect(exported.kek.count == 277)
        #expect(Array(exported.kek.prefix(21)) == hex("30 82 01 11 30 0B 06 09 2A 86 48 86 F7 0D 01 01 01 04 82 01 00"))
        // SEQUENCE { SEQUENCE { id-aes256-wrap-pad }, OCTET STRING … } with no parameters.
        #expect(Array(exported.pkcs8[3..<16]) == hex("30 0B 06 09 60 86 48 01 65 03 04 01 30"))
        let imported = try await destination.importKey(kekek: kekek, pkcs8: exported.pkcs8, kek: exported.kek, flags: [.digitalSignature, .token])
        #expect(imported.name != key.name)
        #expect(try await imported.publicKey() == (try await key.publicKey()))
        let digest = [UInt8](repeating: 3, count: 32)
        #expect(try await key.verify(digest, signature: try await imported.sign(digest)))
        // The KEKEK may be the private key itself on the exporting side.
        let local = try await destination.generateECKey(curve: .p384, flags: [.digitalSignature, .exportable])
        let again = try await local.export(kekek: kekek)
        let copy = try await destination.importKey(kekek: kekek, pkcs8: again.pkcs8, kek: again.kek, flags: .digitalSignature)
        #expect(try await copy.curve() == .p384)
    }

    @Test("export and import error paths in the firmware's order")
    func errors() async throws {
        let board = try Board.launch()
        defer { board.stop() }
        let client = try await board.loggedInClient()
        let kekek = try await client.generateRSAKey(keyLength: 2048, flags: Self.kekekFlags)
        let exportable = try await client.loadKey(der: CryptoFixtures.p256PKCS8, flags: [.digitalSignature, .exportable])
        let fixed = try await client.loadKey(der: CryptoFixtures.p256PKCS8, flags: .digitalSignature)
        let signingRSA = try await client.loadKey(der: CryptoFixtures.rsa2048PKCS8, flags: .digitalSignature)
        let ecKEKEK = try await client.loadKey(der: CryptoFixtures.p256PKCS8, flags: .keyEncipherment)
        func export(_ key: PKey, _ kekek: PKey, _ pkcs8: UInt32 = 5480, _ kek: UInt32 = 512) async -> HALError? {
            await status { _ = try await client.perform(RPC.PKeyExport.self, .init(pkey: key.handle, kekek: kekek.handle, pkcs8Maximum: pkcs8, kekMaximum: kek)) }
        }
        #expect(await export(exportable, kekek, 12000, 5000) == .rpcPacketOverflow)
        #expect(await export(exportable, kekek, 5480, 32) == .badArguments)
        #expect(await status { _ = try await client.pkeyExport(PKeyHandle(rawValue: 3), kekek: kekek.handle) } == .keyNotFound)
        #expect(await export(fixed, kekek) == .forbidden)
        #expect(await export(exportable, signingRSA) == .forbidden)
        #expect(await export(exportable, ecKEKEK) == .unsupportedKey)
        #expect(await export(exportable, kekek, 2560) == .resultTooLong, "HSM.pkey_export's default pkcs8_max")
        #expect(await export(exportable, kekek, 5480, 255) == .resultTooLong, "modulus longer than kek_max")

        let good = try await exportable.export(kekek: kekek)
        func `import`(_ pkcs8: [UInt8], _ kek: [UInt8], kekek: PKey, flags: KeyFlags = .digitalSignature) async -> HALError? {
            await status { _ = try await client.importKey(kekek: kekek, pkcs8: pkcs8, kek: kek, flags: flags) }
        }
        #expect(await `import`(good.pkcs8, [0x30, 0x00], kekek: kekek) == .badArguments)
        #expect(await status { _ = try await client.pkeyImport(kekek: PKeyHandle(rawValue: 9), pkcs8: good.pkcs8, kek: good.kek, flags: .digitalSignature) } == .keyNotFound)
        #expect(await `import`(good.pkcs8, good.kek, kekek: signingRSA) == .forbidden)
        let publicKEKEK = try await client.loadKey(der: try await kekek.publicKey(), flags: .keyEncipherment)
        #expect(await `import`(good.pkcs8, good.kek, kekek: publicKEKEK) == .unsupportedKey)
        #expect(await `import`([0x30, 0x03, 0x02, 0x01, 0x00], good.kek, kekek: kekek) == .asn1ParseFailed)
        // A wrapped key changed in its last byte: the unwrap's integrity check fails (9).
        var tampered = good.pkcs8
        tampered[tampered.count - 1] ^= 1
        #expect(await `import`(tampered, good.kek, kekek: kekek) == .keywrapBadMagic)
        // A KEK encrypted to another key decrypts to garbage, silently replaced by a random
        // KEK: the same answer, no padding oracle.
        var wrongKEK = good.kek
        wrongKEK[wrongKEK.count - 5] ^= 0x40
        #expect(await `import`(good.pkcs8, wrongKEK, kekek: kekek) == .keywrapBadMagic)
        #expect(await `import`(good.pkcs8, good.kek, kekek: kekek, flags: KeyFlags(rawValue: 0x41)) == .badArguments)
        _ = try await client.importKey(kekek: kekek, pkcs8: good.pkcs8, kek: good.kek, flags: .digitalSignature)
    }

    @Test("two boards, one hashsig key: SX1 share of 256 to B, a bisected share to C, same public key, disjoint leaves",
          .timeLimit(.minutes(5)))
    func hashsigShares() async throws {
        let a = try Board.launch()
        defer { a.stop() }
        let b = try Board.launch()
        defer { b.stop() }
        let c = try Board.launch()
        defer { c.stop() }
        let onA = try await a.loggedInClient()
        let onB = try await b.loggedInClient()
        let onC = try await c.loggedInClient()
        let key = try await onA.generateHashsigKey(
            levels: 1, lmsType: .sha256N32H10, lmotsType: .sha256N32W4, flags: [.digitalSignature, .token, .exportable])
        let der = try await key.publicKey()
        let publicKey = try hssPublicKey(der)
        var used: [String: [UInt32]] = ["A": [], "B": [], "C": []]
        func sign(_ name: String, _ key: PKey, count: Int) async throws {
            for index in 0..<count {
                let message = Array("\(name) \(index)".utf8)
                let signature = try await key.sign(message)
                #expect(publicKey.isValidSignature(signature, for: message), "\(name) \(index)")
                used[name, default: []].append(try HSS.Signature(bytes: signature).topLeafIndex)
            }
        }
        try await sign("A", key, count: 3)
        #expect(try await ranges(key) == [3, 0, 1024])

        // SX1: exactly the top 256 leaves, and the reply says so.
        let (kekekB, loadedB) = try await Self.kekek(from: onB, to: onA)
        let shareB = try await key.export(kekek: loadedB, shareCount: 256)
        #expect(shareB.shareRange == LeafRange(768..<1024))
        #expect(try await ranges(key) == [3, 0, 768], "the source's range shrank")
        #expect(try await key.flags() == [.digitalSignature, .token, .exportable])
        // Two-phase: the share stays pending until the host confirms it stored the blob.
        try await key.updateAttributes([.set(.hashsigPendingShare, [0, 0, 3, 0, 0, 0, 4, 0])])
        // More than remain → 48, nothing changes.
        #expect(await status { _ = try await key.export(kekek: loadedB, shareCount: 766) } == .hashsigKeyExhausted)
        #expect(try await ranges(key) == [3, 0, 768])
        let onBKey = try await onB.importKey(kekek: kekekB, pkcs8: shareB.pkcs8, kek: shareB.kek, flags: [.digitalSignature, .token])
        #expect(try await onBKey.publicKey() == der)
        #expect(try await ranges(onBKey) == [768, 768, 1024])
        // The same share again → 22: its I is already on B.
        #expect(await status { _ = try await onB.importKey(kekek: kekekB, pkcs8: shareB.pkcs8, kek: shareB.kek, flags: [.digitalSignature, .token]) } == .keyNameInUse)

        // The reference bisection of what A has left, [3, 768) → C gets [385, 768).
        let (kekekC, loadedC) = try await Self.kekek(from: onC, to: onA)
        let shareC = try await onA.pkeyExport(key.handle, kekek: loadedC.handle)
        #expect(shareC.shareRange == nil, "no share count asked, no range answered")
        #expect(try await ranges(key) == [3, 0, 385])
        let onCKey = try await onC.importKey(kekek: kekekC, pkcs8: shareC.pkcs8, kek: shareC.kek, flags: [.digitalSignature, .token])
        #expect(try await onCKey.publicKey() == der)
        #expect(try await ranges(onCKey) == [385, 385, 768])
        // Bisection with SX1's shareCount 0 reports its range.
        let (_, loadedA) = try await Self.kekek(from: onA, to: onA)
        _ = loadedA

        try await sign("B", onBKey, count: 4)
        try await sign("C", onCKey, count: 4)
        try await sign("A", key, count: 2)
        #expect(used["A"]!.allSatisfy { (0..<385).contains($0) })
        #expect(used["B"]!.allSatisfy { (768..<1024).contains($0) })
        #expect(used["C"]!.allSatisfy { (385..<768).contains($0) })
        let all = used.values.flatMap { $0 }
        #expect(Set(all).count == all.count, "no leaf used twice")
        // Each board verifies the others' signatures under the one key.
        let message = Array("cross".utf8)
        #expect(try await key.verify(message, signature: try await onBKey.sign(message)))
        #expect(try await onCKey.verify(message, signature: try await key.sign(message)))
    }

    @Test("hashsig export of an L=2 key: bisection with shareCount 0 reports the range; import rules")
    func hashsigTwoLevels() async throws {
        let a = try Board.launch()
        defer { a.stop() }
        let b = try Board.launch()
        defer { b.stop() }
        let onA = try await a.loggedInClient()
        let onB = try await b.loggedInClient()
        let key = try await onA.generateHashsigKey(
            levels: 2, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, flags: [.digitalSignature, .token, .exportable])
        let publicKey = try hssPublicKey(try await key.publicKey())
        let (kekek, loaded) = try await Self.kekek(from: onB, to: onA)
        // Not exportable → 26.
        let fixed = try await onA.generateHashsigKey(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W8, flags: [.digitalSignature, .token])
        #expect(await status { _ = try await fixed.export(kekek: loaded, shareCount: 4) } == .forbidden)

        let share = try await key.export(kekek: loaded, shareCount: 0)
        #expect(share.shareRange == LeafRange(16..<32))
        #expect(try await ranges(key) == [1, 0, 16])
        let imported = try await onB.importKey(kekek: kekek, pkcs8: share.pkcs8, kek: share.kek, flags: [.digitalSignature, .token])
        // Import signed a fresh lower tree with the share's first leaf.
        #expect(try await ranges(imported) == [17, 16, 32])
        let signature = try await imported.sign([1, 2, 3])
        #expect(publicKey.isValidSignature(signature, for: [1, 2, 3]))
        #expect(try HSS.Signature(bytes: signature).topLeafIndex == 16)
        // Flags on import must include DIGITALSIGNATURE and TOKEN.
        try await imported.delete()
        #expect(await status { _ = try await onB.importKey(kekek: kekek, pkcs8: share.pkcs8, kek: share.kek, flags: .digitalSignature) } == .forbidden)
        // Exhaust A's remaining range by SX1: [1, 16) → 15 leaves, then nothing is left.
        let rest = try await key.export(kekek: loaded, shareCount: 15)
        #expect(rest.shareRange == LeafRange(1..<16))
        try await key.updateAttributes([.set(.hashsigPendingShare, [0, 0, 0, 1, 0, 0, 0, 16])])
        #expect(await status { _ = try await key.export(kekek: loaded) } == .hashsigKeyExhausted)
    }

    @Test("a share whose rebuilt root is not its T1 is refused (17); a share loads by PKEY_LOAD too")
    func tamperedShare() async throws {
        let a = try Board.launch()
        defer { a.stop() }
        let b = try Board.launch()
        defer { b.stop() }
        let onA = try await a.loggedInClient()
        let onB = try await b.loggedInClient()
        // A KEKEK made here, so the test can open what the board wraps.
        let kekek = try RSAPrivateKey.generate(bits: 2048, publicExponent: [1, 0, 1])
        let spki = try kekek.publicKey().subjectPublicKeyInfo()
        let onBKEKEK = try await onB.loadKey(der: try kekek.privateKeyInfo(), flags: .keyEncipherment)
        let onAKEKEK = try await onA.loadKey(der: spki, flags: .keyEncipherment)
        let key = try await onA.generateHashsigKey(levels: 1, lmsType: .sha256N32H5, lmotsType: .sha256N32W4, flags: [.digitalSignature, .token, .exportable])
        let info = try HashSigPublicKeyInfo(der: try await key.publicKey())
        let exported = try await key.export(kekek: onAKEKEK, shareCount: 8)
        let plaintext = try KeyBackup.importKey(pkcs8: exported.pkcs8, kek: exported.kek, kekek: kekek)
        let share = try HashSigPrivateKeyRecord(privateKeyInfo: plaintext)
        #expect(share.publicKeyInfo == info)
        #expect(share.qStart == 24 && share.qEnd == 32)
        #expect(share.seed != [UInt8](repeating: 0, count: 32), "an exportable key's record carries its SEED")

        func wrapped(_ record: HashSigPrivateKeyRecord) throws -> KeyBackup.Export {
            try KeyBackup.export(privateKeyInfo: record.privateKeyInfo, kekek: try RSAPublicKey(subjectPublicKeyInfo: spki))
        }
        func importStatus(_ record: HashSigPrivateKeyRecord) async throws -> HALError? {
            let blob = try wrapped(record)
            return await status { _ = try await onB.importKey(kekek: onBKEKEK, pkcs8: blob.pkcs8, kek: blob.kek, flags: [.digitalSignature, .token]) }
        }
        var otherRoot = info.root
        otherRoot[0] ^= 1
        let wrongRoot = try HashSigPrivateKeyRecord(levels: 1, lmsType: share.lmsType, lmotsType: share.lmotsType, identifier: share.identifier,
                                                    root: otherRoot, seed: share.seed, qStart: 24, qEnd: 32)
        #expect(try await importStatus(wrongRoot) == .invalidSignature)
        var otherSeed = share.seed
        otherSeed[31] ^= 1
        let wrongSeed = try HashSigPrivateKeyRecord(levels: 1, lmsType: share.lmsType, lmotsType: share.lmotsType, identifier: share.identifier,
                                                    root: share.root, seed: otherSeed, qStart: 24, qEnd: 32)
        #expect(try await importStatus(wrongSeed) == .invalidSignature)
        let pastTheEnd = try HashSigPrivateKeyRecord(levels: 1, lmsType: share.lmsType, lmotsType: share.lmotsType, identifier: share.identifier,
                                                     root: share.root, seed: share.seed, qStart: 24, qEnd: 33)
        #expect(try await importStatus(pastTheEnd) == .badArguments)
        #expect(try await importStatus(share) == nil)
        // The same record, unwrapped, loads on a third board through PKEY_LOAD.
        let c = try Board.launch()
        defer { c.stop() }
        let onC = try await c.loggedInClient()
        let loaded = try await onC.loadKey(der: plaintext, flags: [.digitalSignature, .token])
        #expect(try await ranges(loaded) == [24, 24, 32])
        let signature = try await loaded.sign([7])
        #expect(try hssPublicKey(info.der).isValidSignature(signature, for: [7]))
    }
}
