import HalRPC
import HashSig
import HashSigHost

/// One hashsig key made on board A; a quarter of its leaves exported to board B (SX1); a
/// signer pool over both. `a` and `b` are logged-in clients.
func shareAndSign(a: HSMClient, b: HSMClient, ledgerPath: String, message: [UInt8]) async throws -> PoolSignature {
    let boardA = BoardLink(name: try BoardName("A"), client: a)
    let boardB = BoardLink(name: try BoardName("B"), client: b)
    let made = try await a.generateHashsigKey(levels: 2, lmsType: .sha256N32H10, lmotsType: .sha256N32W4,
                                              flags: [.digitalSignature, .token, .exportable])
    let key = try await BoardHashsigKey.open(made.name!, on: boardA)
    let identity = KeyIdentity(key.publicKey)

    // The ledger records every range and every step of every export, fsynced. A key made just
    // now holds its whole top tree; the board's SX1 attributes (or a probe signature) say where.
    let ledger = try await ShareLedger(path: ledgerPath)
    try await ledger.register(key, .generatedJustNow, probeMessage: Array("readme probe".utf8))
    _ = try await ShareExporter(ledger: ledger, key: identity, boards: [boardA, boardB])
        .export(.exact(try ShareRequest.parseAmounts("A:768,B:256")), from: boardA.name)

    let state = try ledger.state(of: identity)
    var signers: [any ShareSigner] = []
    for board in [boardA, boardB] {
        let name = KeyName(uuidString: state.holdings[board.name]!.keyName)!
        signers.append(BoardSigner(key: try await BoardHashsigKey.open(name, on: board)))
    }
    let pool = SignerPool(publicKey: state.publicKey, signers: signers, shares: ShareMap(state: state))
    await pool.refresh()
    return try await pool.sign(message)  // verified on the host, inside the signing board's share
}
