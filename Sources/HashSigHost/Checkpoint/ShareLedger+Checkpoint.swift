extension ShareLedger {
    /// What ``checkpoint(on:pinnedKey:)`` did.
    public struct CheckpointMade: Sendable {
        /// The record appended.
        public var checkpoint: LedgerCheckpoint
        /// The checkpoint's own record number.
        public var record: Int
        /// The head the board now keeps (through the checkpoint record).
        public var anchored: LedgerHead
        /// The key's public key (SubjectPublicKeyInfo DER), to pin.
        public var publicKey: [UInt8]
        /// Whether the key was made just now.
        public var created: Bool
    }

    /// Signs the ledger's head with the board's checkpoint key (made there first when the board
    /// has none for this ledger and no key is pinned), appends the `checkpoint` record, then
    /// anchors the head through that record on the board.
    ///
    /// The ledger is checked against the board's previous anchor and its latest checkpoint
    /// first: a damaged ledger is never signed.
    /// - Parameters:
    ///   - link: the board that signs, and keeps the anchor.
    ///   - pinnedKey: the checkpoint key's SubjectPublicKeyInfo, when one is pinned: the board
    ///     must hold that key.
    /// - Throws: ``LedgerCheckpointError``, ``LedgerError``, board errors.
    public func checkpoint(on link: BoardLink, pinnedKey: [UInt8]?) async throws -> CheckpointMade {
        guard let identity else { throw LedgerCheckpointError.emptyLedger(path: path) }
        var created = false
        let key: LedgerCheckpointKey
        if let pinnedKey {
            guard let found = try await LedgerCheckpointKey.find(publicKey: pinnedKey, on: link) else {
                throw LedgerCheckpointError.pinnedKeyNotFound(board: link.name)
            }
            key = found
        } else if let found = try await LedgerCheckpointKey.find(ledger: identity, on: link) {
            key = found
        } else {
            key = try await LedgerCheckpointKey.create(ledger: identity, on: link)
            created = true
        }
        do {
            let board = LedgerIntegrity.BoardKey(key: key, anchor: try await key.anchor(), ledgerIdentity: try await key.ledgerIdentity())
            let integrity = LedgerIntegrity(ledger: self, pinnedKey: pinnedKey, boardKeys: [board])
            guard integrity.isIntact else { throw LedgerCheckpointError.tampered(integrity.failures) }
            let head = self.head
            let signature = try await key.sign(head)
            let checkpoint = LedgerCheckpoint(head: head, board: link.name, signer: key.name.description,
                                              signerKey: key.publicKeyDigest, signature: signature)
            let record = try await append(.checkpoint(checkpoint), key: nil)
            // The ledger holds the record just appended, so its head is there.
            let anchored = self.head(at: record.sequence) ?? self.head
            try await key.setAnchor(anchored)
            await key.close()
            return CheckpointMade(checkpoint: checkpoint, record: record.sequence, anchored: anchored, publicKey: key.publicKey, created: created)
        } catch {
            await key.close()
            throw error
        }
    }
}
