import HalRPC

// SX1 two-phase export (design.md, "Share-export extension"): a source that keeps an exported
// share pending wraps it again when the reply was lost, and forgets it once the host confirms
// the wrapped blob is stored, so a lost reply never burns a share.
extension ShareExporter {
    /// exporting → exported when the export took effect, its reply was lost, and the source
    /// holds the share pending (SX1 two-phase): the board wraps the same share again for the
    /// KEKEK the `exporting` record names (the same request; any other it refuses).
    /// Also exported → exported when the destination found the blob damaged on the way.
    func exportAgain(_ transfer: KeyLedgerState.Transfer, from source: BoardHashsigKey,
                     note: String? = nil) async throws(ShareExportError) {
        guard let kekekText = transfer.kekek, let kekekName = KeyName(uuidString: kekekText) else {
            throw .needsPerson(transfer: transfer.id, "board \(transfer.source) holds the share pending, but the ledger does not say which KEKEK it was wrapped for")
        }
        let kekek = try await loadKEKEK(named: kekekName, for: transfer)
        let reply: RPC.PKeyExport.Reply
        try ensureLockHeld()
        do {
            reply = try await source.key.export(kekek: kekek, shareCount: transfer.range.count)
        } catch {
            try? await kekek.delete()
            if error.mayHaveReachedBoard {
                throw .outcomeUnknown(transfer: transfer.id, board: transfer.source, "\(error)")
            }
            throw .needsPerson(transfer: transfer.id, "board \(transfer.source) holds the share pending but refused to wrap it again for KEKEK \(kekekName) (\(error))")
        }
        options.stepHook?(.exportReplied, transfer.id)
        try await checkShareRange(reply, of: transfer, kekek: kekek)
        try await recordExport(transfer, WrappedShare(pkcs8: reply.pkcs8, kek: reply.kek), reportedByBoard: true,
                               note: note ?? "wrapped again by board \(transfer.source) from its pending share: the first reply was lost")
        try? await kekek.delete()
    }

    /// exported: the blob is stored, so the source may forget the share it holds pending (SX1
    /// two-phase). A confirmation that does not get through is left for the next export from
    /// that source (``settlePendingShare(on:before:)``): until then the source refuses only
    /// other exports, and the transfer goes on.
    func confirmPendingShare(of transfer: KeyLedgerState.Transfer) async throws(ShareExportError) {
        do throws(ShareExportError) {
            let source = try await openHolding(transfer.source, state: try currentState())
            try await closing(source) { () async throws(ShareExportError) in
                guard try await boardCall(transfer.source, { try await source.pendingShare() }) == .share(transfer.range) else { return }
                try await confirm(transfer.range, on: source, transfer: transfer.id)
            }
        } catch .ledger(let error) {
            throw .ledger(error)
        } catch {
            options.logger.warning("pending share not confirmed; the next export from its board confirms it", metadata: [
                "share.transfer": "\(transfer.id)", "share.board": "\(transfer.source)", "share.reason": "\(error)",
            ])
        }
    }

    /// Before a new export from `source`: a share it still holds pending whose wrapped blob the
    /// ledger has (its confirmation never got through), or that the ledger already counts as
    /// burned, is confirmed now, as the board refuses every other export while it is pending.
    func settlePendingShare(on source: BoardHashsigKey, before transfer: KeyLedgerState.Transfer) async throws(ShareExportError) {
        let board = source.link.name
        guard case .share(let range) = try await boardCall(board, { try await source.pendingShare() }) else { return }
        let state = try currentState()
        guard let earlier = state.orderedTransfers.last(where: { $0.source == board && $0.range == range }),
              [.exported, .imported, .verified, .burned].contains(earlier.state) else {
            throw .needsPerson(transfer: transfer.id, "board \(board) holds share \(range) pending, and the ledger has no stored blob of it")
        }
        try await confirm(range, on: source, transfer: earlier.id)
    }

    /// Confirms the pending share `range` to `source`, again when the reply is lost: the board
    /// takes a repeated confirmation as a no-op. After any failure the board is asked what it
    /// holds pending: the reply carries no results, so a flipped bit can turn its success into
    /// another known status, and a share no longer pending was confirmed whatever it said.
    private func confirm(_ range: LeafRange, on source: BoardHashsigKey, transfer: String) async throws(ShareExportError) {
        var attempts = 0
        while true {
            attempts += 1
            try ensureLockHeld()
            do {
                try await source.confirmPendingShare(range)
            } catch {
                let pending = try? await source.pendingShare()
                if let pending, pending != .share(range) {
                    options.logger.notice("the reply to the pending share's confirmation was lost or damaged; the board holds it no longer", metadata: [
                        "share.transfer": "\(transfer)", "share.range": "\(range)",
                    ])
                } else if error.mayHaveReachedBoard, attempts < 3 {
                    continue
                } else {
                    throw .board(source.link.name, "confirming pending share \(range) of transfer \(transfer): \(error)")
                }
            }
            options.logger.info("pending share confirmed", metadata: ["share.transfer": "\(transfer)", "share.range": "\(range)"])
            return
        }
    }
}
