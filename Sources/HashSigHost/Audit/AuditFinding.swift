import CryptechHex
import HashSig

/// Something wrong (or worth a look) in a stream of signatures.
public enum AuditFinding: Hashable, Sendable, CustomStringConvertible {
    /// The signature does not parse.
    case malformed(item: String, reason: String)
    /// The signature parses but does not verify under the key.
    case invalid(item: String, reason: InvalidSignatureReason)
    /// The top-level index is outside every share the ledger ever issued.
    case outsideEveryShare(item: String, q: UInt32)
    /// The top-level index lies in a range no board holds (in transit or burned).
    case unheldRange(item: String, q: UInt32, owner: ShareMap.Owner)
    /// The record says board `signer` made it, but q is in `owner`'s share.
    case signedOutsideOwnShare(item: String, signer: BoardName, q: UInt32, owner: BoardName)
    /// One one-time key (tree `identifier`, leaf `q`, at `level`) signed two different
    /// things: the signature scheme's security is gone for that tree.
    case oneTimeKeyReused(item: String, first: String, level: Int, identifier: [UInt8], q: UInt32)
    /// The very same signature appears again (not a reuse; a duplicate record).
    case repeatedSignature(item: String, first: String)
    /// A sign request whose outcome is unknown (timed out after it reached the board): it may
    /// have consumed a leaf. Recorded by the signer pool.
    case indeterminateSign(item: String, board: BoardName)
    /// A journal line torn by a crash while it was appended: its sign attempt never returned a
    /// signature, but may have used a leaf.
    case tornJournalLine(item: String, byteCount: Int)
    /// A signature the signer pool refused because it did not verify, and never handed out:
    /// damaged on the link (the protocol has no checksum) or made wrongly by the board. Nobody
    /// relies on it; its one-time key is spent either way.
    case refusedUnverified(item: String, board: BoardName?, reason: String)

    /// Whether this is a security problem (everything but a repeated record and an
    /// indeterminate sign, which are accounted for but harmless).
    public var isAlarm: Bool {
        switch self {
        case .repeatedSignature, .indeterminateSign, .tornJournalLine, .refusedUnverified: false
        default: true
        }
    }

    /// A stable word for scripts.
    public var kind: String {
        switch self {
        case .malformed: "malformed"
        case .invalid: "invalid"
        case .outsideEveryShare: "outside-every-share"
        case .unheldRange: "unheld-range"
        case .signedOutsideOwnShare: "signed-outside-own-share"
        case .oneTimeKeyReused: "one-time-key-reused"
        case .repeatedSignature: "repeated-signature"
        case .indeterminateSign: "indeterminate-sign"
        case .tornJournalLine: "torn-journal-line"
        case .refusedUnverified: "refused-unverified"
        }
    }

    /// The name of the signature the finding is about, as the item was named.
    public var item: String {
        switch self {
        case .malformed(let item, _), .invalid(let item, _), .outsideEveryShare(let item, _),
             .unheldRange(let item, _, _), .signedOutsideOwnShare(let item, _, _, _),
             .oneTimeKeyReused(let item, _, _, _, _), .repeatedSignature(let item, _), .indeterminateSign(let item, _),
             .tornJournalLine(let item, _), .refusedUnverified(let item, _, _):
            item
        }
    }

    /// One line for the audit report, naming the item and what is wrong.
    public var description: String {
        switch self {
        case .malformed(let item, let reason):
            "\(item): malformed signature: \(reason)"
        case .invalid(let item, let reason):
            "\(item): invalid signature: \(reason)"
        case .outsideEveryShare(let item, let q):
            "\(item): top-level index \(q) is outside every share ever issued"
        case .unheldRange(let item, let q, let owner):
            "\(item): top-level index \(q) belongs to \(owner), which no board holds"
        case .signedOutsideOwnShare(let item, let signer, let q, let owner):
            "\(item): board \(signer) signed with top-level index \(q), which is in board \(owner)'s share"
        case .oneTimeKeyReused(let item, let first, let level, let identifier, let q):
            "\(item): one-time key q=\(q) of the level-\(level) tree I=\(Hex.encode(identifier)) already signed something else in \(first)"
        case .repeatedSignature(let item, let first):
            "\(item): the same signature as \(first)"
        case .indeterminateSign(let item, let board):
            "\(item): a sign request to board \(board) timed out after it was sent; it may have used a one-time key"
        case .tornJournalLine(let item, let count):
            "\(item): \(count) bytes torn by a crash while they were written; that sign attempt returned no signature but may have used a one-time key"
        case .refusedUnverified(let item, let board, let reason):
            "\(item): a signature\(board.map { " from board \($0)" } ?? "") the signer pool refused and never handed out: it does not verify (\(reason)); damaged on the link or made wrongly, its one-time key is spent"
        }
    }
}
