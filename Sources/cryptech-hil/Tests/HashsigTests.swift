import Foundation
import HalRPC
import HashSig
import HashSigHost

/// Hashsig keys on the board, and a share of one moved to a second board.
enum HashsigTests {
    /// L=2, H5/W4: the smallest key the firmware makes with two levels (34 keystore slots).
    static let levels = 2
    static let lms = LMSTypeCode.sha256N32H5
    static let lmots = LMOTSTypeCode.sha256N32W4

    @Sendable static func keygenSignVerify(_ context: HILContext) async throws {
        let client = try await context.target.client(0)
        let generated = try await client.generateHashsigKey(levels: levels, lmsType: lms, lmotsType: lmots,
                                                            flags: [.digitalSignature, .token])
        try await deleting(generated) { key in
            let spki = try await key.publicKey()
            let publicKey = try HSS.PublicKey(boardDER: spki)
            context.log("generated \(key.name.map { "\($0)" } ?? "?"): key \(KeyIdentity(publicKey))")
            var used: [[UInt32]] = []
            for index in 0..<3 {
                let message = Array("cryptech-hil hashsig message \(index)".utf8)
                let signature = try await key.sign(message)
                try check(publicKey.isValidSignature(signature, for: message), "signature \(index) does not verify on the host")
                try check(!publicKey.isValidSignature(signature, for: message + [0]), "signature \(index) verifies another message")
                try check(try await key.verify(message, signature: signature), "the board rejects its signature \(index)")
                try await CryptoTests.verifyWithPublicKey(client, spki: spki, input: message, signature: signature)
                used.append(try HSS.Signature(bytes: signature).leafIndices)
            }
            context.log("leaf indices (top, lower): \(used)")
            // Each signature takes the next one-time key of the lower tree: never one twice.
            try check(zip(used, used.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) },
                      "leaf indices do not move forward: \(used)")
        }
    }

    @Sendable static func shareExportImport(_ context: HILContext) async throws {
        let links = [
            BoardLink(name: try BoardName("A"), client: try await context.target.client(0)),
            BoardLink(name: try BoardName("B"), client: try await context.target.client(1)),
        ]
        // The export makes a key-encryption key on B unless B has one: only one made here is removed.
        let kekekBefore = try await kekek(on: links[1].client)
        let generated = try await links[0].client.generateHashsigKey(levels: levels, lmsType: lms, lmotsType: lmots,
                                                                     flags: [.digitalSignature, .token, .exportable])
        var made: [(BoardLink, KeyName)] = []
        if let name = generated.name { made.append((links[0], name)) }
        do {
            try await share(generated, links: links, context: context, made: &made)
        } catch {
            await remove(made, kekekBefore: kekekBefore, on: links[1])
            throw error
        }
        await remove(made, kekekBefore: kekekBefore, on: links[1])
    }

    private static func share(_ generated: PKey, links: [BoardLink], context: HILContext, made: inout [(BoardLink, KeyName)]) async throws {
        let (a, b) = (links[0].name, links[1].name)
        guard let name = generated.name else { throw HILCheckFailure(description: "the new key has no name") }
        let source = BoardHashsigKey(link: links[0], key: generated, name: name,
                                     publicKey: try HSS.PublicKey(boardDER: try await generated.publicKey()))
        let ledger = try await ShareLedger(path: context.directory + "/shares.jsonl")
        let registration = try await ledger.register(source, .generatedJustNow, label: "cryptech-hil",
                                                     probeMessage: Array("cryptech-hil share probe".utf8)).registration
        let range = registration.range
        try check(range == LeafRange(0..<32), "a new H5 key covers \(range), not [0, 32)")
        let sx1 = registration.rangeLearned == .attributes
        context.log(sx1 ? "board A has SX1: exact shares" : "board A has no SX1 (stock firmware): bisection, next index from a probe at q=\(registration.probeIndex ?? 0)")
        let key = KeyIdentity(source.publicKey)

        // 24/8 is exact with SX1; halving [1, 32) reaches 16/16, accepted as the reachable plan.
        var options = ShareExporter.Options()
        options.acceptReachable = true
        let outcomes = try await ShareExporter(ledger: ledger, key: key, boards: links, options: options)
            .export(.exact([ShareRequest.BoardAmount(a, 24), ShareRequest.BoardAmount(b, 8)]), from: a)
        let state = try ledger.state(of: key)
        if let imported = state.holdings[b]?.keyName, let importedName = KeyName(uuidString: imported) {
            made.append((links[1], importedName))
        }
        try check(outcomes.count == 1 && outcomes[0].state == .verified, "the transfer ended \(outcomes.map(\.state))")
        context.log("transfer \(outcomes[0].transfer) (\(state.transfers[outcomes[0].transfer]?.method.rawValue ?? "?")): \(outcomes[0].range), test signature at q=\(outcomes[0].testSignatureIndex.map(String.init) ?? "-")")
        let split: UInt32 = sx1 ? 24 : 16
        try check(state.holdings[a]?.range == LeafRange(0..<split) && state.holdings[b]?.range == LeafRange(split..<32),
                  "ledger ranges \(state.holdings[a]?.range.description ?? "-") and \(state.holdings[b]?.range.description ?? "-")")

        // Each board holds the range the ledger gave it: it reports it (SX1), or a probe
        // signature falls inside it, and B's at its first leaf, which signed B's lower tree.
        var signers: [BoardSigner] = []
        for link in links {
            let holding = state.holdings[link.name]!
            let opened = try await BoardHashsigKey.open(KeyName(uuidString: holding.keyName)!, on: link)
            let (reported, probed) = try await opened.reportOrProbe(Array("cryptech-hil share check".utf8))
            if let probed {
                try check(holding.range.contains(probed.index) && (holding.transfer == nil || probed.index == holding.range.start),
                          "board \(link.name) signs at q=\(probed.index), the ledger gives it \(holding.range)")
            } else {
                try check(reported.range == holding.range,
                          "board \(link.name) reports \(reported.range.map { "\($0)" } ?? "no range"), the ledger \(holding.range)")
            }
            signers.append(BoardSigner(key: opened))
        }
        let journal = SignatureJournal(path: context.directory + "/signatures.jsonl")
        for preferred in [a, b] {
            var options = SignerPool.Options()
            options.selection = .priority([preferred])
            let pool = SignerPool(publicKey: state.publicKey, signers: signers, shares: ShareMap(state: state),
                                  journal: journal, ledger: (ledger, key), options: options)
            await pool.refresh()
            let signed = try await pool.sign(Array("cryptech-hil share message from \(preferred)".utf8))
            try check(signed.board == preferred, "board \(signed.board) signed, not \(preferred)")
            try check(state.holdings[preferred]!.range.contains(signed.topLeafIndex),
                      "board \(preferred) signed at q=\(signed.topLeafIndex), outside its share")
        }
        for signer in signers { await signer.key.close() }

        let (items, indeterminate) = SignatureJournal.auditItems(try SignatureJournal.read(path: journal.path), path: journal.path)
        var auditor = SignatureAuditor(publicKey: state.publicKey, shares: ShareMap(state: state))
        for item in items { try await auditor.audit(item) }
        try check(indeterminate.isEmpty && auditor.isClean && auditor.valid == 2,
                  "audit: \(auditor.valid) valid, findings \(auditor.findings.map(\.description))")
    }

    /// The name of board's key-encryption key for imports, if it has one.
    private static func kekek(on client: HSMClient) async throws -> KeyName? {
        let mask: KeyFlags = [.keyEncipherment, .token]
        for try await name in client.matchKeys(type: .rsaPrivate, mask: mask, flags: mask) { return name }
        return nil
    }

    /// Deletes the hashsig keys the test made, and the key-encryption key on `destination` if
    /// the export made it.
    private static func remove(_ made: [(BoardLink, KeyName)], kekekBefore: KeyName?, on destination: BoardLink) async {
        for (link, name) in made {
            if let key = try? await link.client.openKey(name: name) { try? await key.delete() }
        }
        if kekekBefore == nil, let name = try? await kekek(on: destination.client),
           let key = try? await destination.client.openKey(name: name) {
            try? await key.delete()
        }
    }
}
