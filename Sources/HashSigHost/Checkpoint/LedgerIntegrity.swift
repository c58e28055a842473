import CryptechHex

/// How much of the ledger something outside the file vouches for: its latest checkpoint
/// (verified with a pinned public key or a board's checkpoint key) and the heads the boards
/// anchored.
///
/// What can be caught (an attacker who can write the ledger file but not the boards):
/// - any change to records 1…K of a checkpoint over K (an edit, a recomputed chain): its
///   signature no longer matches;
/// - with a board holding the checkpoint key reachable: also a file cut or a tail deleted
///   back past the board's anchor, and an edited or removed checkpoint record;
/// - nothing after the last anchor or checkpoint: those records are reported as unverified.
/// Without a board, a file cut back before its last checkpoint record looks like a ledger
/// that was never checkpointed that far; only the board remembers.
public struct LedgerIntegrity: Hashable, Sendable, Codable {
    /// The latest checkpoint record in the ledger.
    public struct Checkpoint: Hashable, Sendable, Codable {
        /// The checkpoint's own record number.
        public var record: Int
        /// It signs records 1…`covers`.
        public var covers: Int
        /// The board whose key signed it.
        public var board: BoardName
        /// The checkpoint key's name on that board.
        public var signer: String
        /// What its signature was checked with (`pinned key`, `board A's key`), `nil` when it
        /// could not be checked.
        public var verifiedWith: String?
    }

    /// A head a board's checkpoint key keeps.
    public struct Anchor: Hashable, Sendable, Codable {
        /// The board that keeps the head.
        public var board: BoardName
        /// The name of the checkpoint key whose attributes hold it.
        public var signer: String
        /// The head the board anchored.
        public var head: LedgerHead
    }

    /// The ledger as read.
    public var head: LedgerHead
    /// The latest checkpoint record, if the ledger has one.
    public var checkpoint: Checkpoint?
    /// The heads the reachable boards keep, one per board.
    public var anchors: [Anchor] = []
    /// Records 1…`verifiedRecords` are vouched for by a verified checkpoint or a board's anchor.
    public var verifiedRecords = 0
    /// Tampering found: each one an alarm.
    public var failures: [String] = []
    /// Remarks that are not tampering (a board without the checkpoint key, no checkpoint yet, a
    /// checkpoint that could not be checked).
    public var notes: [String] = []

    /// Records after the last verified one: whoever can write the file could have changed them.
    public var unverifiedRecords: Int { head.records - verifiedRecords }

    /// Whether no tampering was found; unverified records after the last checkpoint do not count
    /// against it.
    public var isIntact: Bool { failures.isEmpty }

    /// What a board said about the ledger's checkpoint key: the key, its anchor, and which
    /// ledger it was made for.
    public struct BoardKey: Sendable {
        /// The board's checkpoint key.
        public var key: LedgerCheckpointKey
        /// The head the key's attributes keep, `nil` before the first anchor.
        public var anchor: LedgerHead?
        /// SHA-256 of the first line of the ledger the key was made for, from its attributes: a
        /// pinned key made for another ledger is caught by it.
        public var ledgerIdentity: SHA256Digest?

        /// Reads the board's checkpoint key for `ledger`: the pinned key when one is given,
        /// else the key made for this ledger. `nil` when the board holds none.
        /// - Throws: board errors.
        public static func read(for ledger: ShareLedger, pinnedKey: [UInt8]?, on link: BoardLink) async throws -> BoardKey? {
            let found: LedgerCheckpointKey?
            if let pinnedKey {
                found = try await LedgerCheckpointKey.find(publicKey: pinnedKey, on: link)
            } else if let identity = ledger.identity {
                found = try await LedgerCheckpointKey.find(ledger: identity, on: link)
            } else {
                found = nil
            }
            guard let key = found else { return nil }
            do {
                let board = BoardKey(key: key, anchor: try await key.anchor(), ledgerIdentity: try await key.ledgerIdentity())
                await key.close()
                return board
            } catch {
                await key.close()
                throw error
            }
        }
    }

    /// Checks `ledger` against its latest checkpoint and the boards' checkpoint keys.
    /// - Parameters:
    ///   - ledger: the ledger as read, its records and head.
    ///   - pinnedKey: the checkpoint key's SubjectPublicKeyInfo, kept outside the ledger: the
    ///     trust anchor for checkpoint signatures. Without it, a board's key is used.
    ///   - boardKeys: what the boards given hold.
    ///   - boardsWithoutKey: boards reached that hold no checkpoint key for this ledger.
    public init(ledger: ShareLedger, pinnedKey: [UInt8]?, boardKeys: [BoardKey], boardsWithoutKey: [BoardName] = []) {
        let records = ledger.records
        head = ledger.head
        for board in boardsWithoutKey {
            notes.append(pinnedKey != nil ? "board \(board) does not hold the pinned checkpoint key"
                                          : "board \(board) holds no checkpoint key for this ledger")
        }
        for board in boardKeys {
            let name = board.key.board
            if let identity = board.ledgerIdentity, identity != ledger.identity {
                failures.append("board \(name)'s checkpoint key was made for a ledger whose first record differs: record 1 was edited")
            }
            guard let anchor = board.anchor else { continue }
            anchors.append(Anchor(board: name, signer: board.key.name.description, head: anchor))
            if head.records < anchor.records {
                failures.append("board \(name) anchored \(anchor.records) records but the ledger has \(head.records): "
                    + "records were removed (the file was cut or its tail deleted)")
            } else if ledger.head(at: anchor.records) != anchor {
                failures.append("record \(anchor.records) is not the one board \(name) anchored: "
                    + "records 1-\(anchor.records) were edited or the chain recomputed")
            } else {
                verifiedRecords = max(verifiedRecords, anchor.records)
            }
        }
        guard let (record, checkpoint) = records.enumerated().reversed().lazy
            .compactMap({ index, record -> (Int, LedgerCheckpoint)? in
                if case .checkpoint(let checkpoint) = record.event { (index + 1, checkpoint) } else { nil }
            }).first
        else {
            if anchors.isEmpty {
                notes.append("no checkpoint: nothing outside the file vouches for the ledger; run 'cryptech share checkpoint'")
            }
            return
        }
        var latest = Checkpoint(record: record, covers: checkpoint.records, board: checkpoint.board, signer: checkpoint.signer)
        // The trust anchor: the pinned key, else a board's key that signed this checkpoint.
        let verifier: (String, [UInt8])? = pinnedKey.map { ("the pinned key", $0) }
            ?? boardKeys.first { $0.key.publicKeyDigest == checkpoint.signerKey }.map { ("board \($0.key.board)'s key", $0.key.publicKey) }
        if let (what, publicKey) = verifier {
            let signature = Hex.decode(checkpoint.signature) ?? []
            if SHA256Digest(of: publicKey) != checkpoint.signerKey {
                failures.append("the checkpoint at record \(record) names a signing key other than \(what)")
            } else if checkpoint.records >= record || checkpoint.records < 1 {
                failures.append("the checkpoint at record \(record) claims to sign records 1-\(checkpoint.records), not records before it")
            } else if !LedgerCheckpointKey.isValid(signature, over: checkpoint.signedHead, publicKey: publicKey) {
                failures.append("the checkpoint at record \(record) does not verify with \(what): it was edited or forged")
            } else if ledger.head(at: checkpoint.records) != checkpoint.signedHead {
                failures.append("record \(checkpoint.records) is not the one the checkpoint at record \(record) signed: "
                    + "records 1-\(checkpoint.records) were edited or the chain recomputed")
            } else {
                latest.verifiedWith = what
                verifiedRecords = max(verifiedRecords, record)
            }
        } else {
            notes.append("the checkpoint at record \(record) is not verified: give --checkpoint-key or a --board that holds the checkpoint key")
        }
        self.checkpoint = latest
    }

    /// The report for people: the head, the checkpoint, the anchors, then alarms and notes.
    public var lines: [String] {
        var lines = ["ledger head \(head.records) records, digest \(head.digest.hex)"]
        if let checkpoint {
            let what = "last checkpoint at record \(checkpoint.record) (records 1-\(checkpoint.covers) signed by board \(checkpoint.board) key \(checkpoint.signer))"
            if let with = checkpoint.verifiedWith {
                lines.append("\(what) verified with \(with)")
            } else {
                lines.append("\(what) NOT verified")
            }
        }
        for anchor in anchors {
            lines.append("board \(anchor.board) anchors records 1-\(anchor.head.records)"
                + (anchor.head.records <= head.records && verifiedRecords >= anchor.head.records ? ": they match" : ""))
        }
        if isIntact {
            lines.append(verifiedRecords == 0 ? "no record of the ledger is verified"
                : "records 1-\(verifiedRecords) verified; \(unverifiedRecords) records after them unverified")
        }
        lines += failures.map { "LEDGER ALARM: \($0)" }
        lines += notes.map { "note: \($0)" }
        return lines
    }
}
