import CryptechHex

/// A `checkpoint` record: the ledger's head as it was, signed by a board's checkpoint key (an
/// EC P-256 key made on the board, never exportable; see ``LedgerCheckpointKey``).
///
/// The record is appended after the head it signs, so it covers the records before it; the
/// board also keeps the head including this record (``LedgerCheckpointKey/anchor()``), because
/// cutting the file removes the checkpoint record with it.
public struct LedgerCheckpoint: Hashable, Sendable, Codable {
    /// The head signed: records 1…`records`.
    public var records: Int
    /// SHA-256 of line `records`.
    public var head: SHA256Digest
    /// The board that signed.
    public var board: BoardName
    /// The checkpoint key's name (UUID) on that board.
    public var signer: String
    /// SHA-256 of the checkpoint key's SubjectPublicKeyInfo: which key signed. Not a trust
    /// anchor (whoever edits the file can edit this too); the verifier's key must match it.
    public var signerKey: SHA256Digest
    /// The board's ECDSA signature `r ‖ s` over ``LedgerHead/signedDigest``, hex.
    public var signature: String

    /// - Parameters:
    ///   - head: the head signed.
    ///   - board: the board that signed.
    ///   - signer: the checkpoint key's name on that board.
    ///   - signerKey: SHA-256 of the key's SubjectPublicKeyInfo.
    ///   - signature: the ECDSA signature `r ‖ s`.
    public init(head: LedgerHead, board: BoardName, signer: String, signerKey: SHA256Digest, signature: [UInt8]) {
        records = head.records
        self.head = head.digest
        self.board = board
        self.signer = signer
        self.signerKey = signerKey
        self.signature = Hex.encode(signature)
    }

    /// The head this checkpoint signs.
    public var signedHead: LedgerHead { LedgerHead(records: records, digest: head) }
}
