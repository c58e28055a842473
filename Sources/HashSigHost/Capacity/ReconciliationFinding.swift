import HalRPC

/// A difference between what a board reports and what the ledger recorded.
public enum ReconciliationFinding: Hashable, Sendable, CustomStringConvertible {
    /// The board's next index is lower than one it reported before: it was restored from a
    /// backup or its state was rolled back, and it may sign with one-time keys again. Alarm.
    case indexWentBackwards(board: BoardName, recorded: UInt32, reported: UInt32)
    /// The board's next index is outside the range the ledger gave it. Alarm.
    case indexOutsideShare(board: BoardName, next: UInt32, share: LeafRange)
    /// The board signed into leaves reserved for a transfer. Alarm.
    case indexInReservedRange(board: BoardName, next: UInt32, transfer: String, range: LeafRange)
    /// The board's range differs from the ledger's, and no unfinished transfer explains it. Alarm.
    case rangeMismatch(board: BoardName, ledger: LeafRange, reported: LeafRange)
    /// The board's range shrank by an unfinished transfer's range: resume that transfer.
    case unfinishedTransferShrankRange(board: BoardName, transfer: String, reported: LeafRange)

    /// Whether a person must look (everything but a shrink that resuming resolves).
    public var isAlarm: Bool {
        if case .unfinishedTransferShrankRange = self { return false }
        return true
    }

    /// A stable word for scripts and the ledger's `alarm` records.
    public var kind: String {
        switch self {
        case .indexWentBackwards: "index-went-backwards"
        case .indexOutsideShare: "index-outside-share"
        case .indexInReservedRange: "index-in-reserved-range"
        case .rangeMismatch: "range-mismatch"
        case .unfinishedTransferShrankRange: "unfinished-transfer"
        }
    }

    /// The board whose report the finding is about.
    public var board: BoardName {
        switch self {
        case .indexWentBackwards(let board, _, _), .indexOutsideShare(let board, _, _),
             .indexInReservedRange(let board, _, _, _), .rangeMismatch(let board, _, _),
             .unfinishedTransferShrankRange(let board, _, _):
            board
        }
    }

    /// One line naming the board and the difference; a backwards index says to stop signing.
    public var description: String {
        switch self {
        case .indexWentBackwards(let board, let recorded, let reported):
            "board \(board): next index went backwards from \(recorded) to \(reported): it may reuse one-time keys; stop signing on it"
        case .indexOutsideShare(let board, let next, let share):
            "board \(board): next index \(next) is outside its share \(share)"
        case .indexInReservedRange(let board, let next, let transfer, let range):
            "board \(board): next index \(next) is inside \(range), reserved for transfer \(transfer)"
        case .rangeMismatch(let board, let ledger, let reported):
            "board \(board): reports range \(reported), the ledger says \(ledger)"
        case .unfinishedTransferShrankRange(let board, let transfer, let reported):
            "board \(board): range is now \(reported) because of unfinished transfer \(transfer): resume it"
        }
    }
}
