import HalRPC

/// A signature from a ``SignerPool``, with where it came from.
public struct PoolSignature: Hashable, Sendable {
    /// The RFC 8554 HSS signature.
    public let signature: [UInt8]
    /// The board whose share made it; the journal records the attempt under this name.
    public let board: BoardName
    /// The top-level leaf index (which one-time key of the shared top tree it used).
    public let topLeafIndex: UInt32
    /// The leaf index at every level, top first.
    public let leafIndices: [UInt32]
    /// Signers passed over before this one, and why (exhausted, busy, unreachable).
    public let skipped: [BoardName: SignAttemptError]
}

/// Why a ``SignerPool`` returned no signature.
public enum SignerPoolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Every signer is exhausted, busy, unreachable or suspended.
    case noSignerAvailable([BoardName: String])
    /// The request to `board` may have consumed a leaf but no signature came back. It is
    /// recorded for the audit and the board is suspended until ``SignerPool/refresh()``;
    /// calling `sign` again is a new request, to another board.
    case indeterminate(board: BoardName, detail: String)
    /// `board` returned a signature that does not verify under the key.
    case invalidSignature(board: BoardName, reason: String)
    /// `board` signed with a top-level index outside its share. Recorded; the board is
    /// suspended.
    case outsideShare(board: BoardName, q: UInt32, share: LeafRange?)
    /// The signature journal could not be written; the signature is withheld.
    case journal(String)

    /// One line naming the failure and the boards concerned.
    public var description: String {
        switch self {
        case .noSignerAvailable(let reasons):
            "no board can sign: " + reasons.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
        case .indeterminate(let board, let detail):
            "board \(board) may have used a one-time key without returning a signature (\(detail)); recorded for the audit"
        case .invalidSignature(let board, let reason):
            "board \(board) returned a signature that does not verify: \(reason)"
        case .outsideShare(let board, let q, let share):
            "board \(board) signed with top-level index \(q) outside its share \(share.map { "\($0)" } ?? "(none)")"
        case .journal(let detail):
            "cannot record the signature: \(detail)"
        }
    }
}
