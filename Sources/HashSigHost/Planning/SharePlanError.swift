import HalRPC

/// Why a share request cannot be planned. Every case names the board or key concerned.
public enum SharePlanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request text does not parse.
    case malformedRequest(String, reason: String)
    /// The request names no board (or only the source).
    case emptyRequest
    /// A count or weight of zero or below.
    case nonPositiveAmount(board: BoardName, amount: Int64)
    /// The same board named twice.
    case duplicateBoard(BoardName)
    /// The destinations ask for more leaves than the source has left.
    case notEnoughLeaves(source: BoardName, requested: UInt64, remaining: UInt32, unused: LeafRange)
    /// The source is named with a count, and the counts do not add up to the range it holds.
    case sourceCountMismatch(source: BoardName, total: UInt64, holds: LeafRange)
    /// The source would keep fewer leaves than it has already used.
    case sourceBelowUsed(source: BoardName, keeps: UInt64, used: UInt32)
    /// A weighted or equal division gives a board no leaf at all.
    case emptyShare(board: BoardName, leaves: UInt64)
    /// The ledger does not know the key.
    case unknownKey(KeyIdentity)
    /// The ledger does not know the board as a holder of the key.
    case unknownBoard(BoardName, key: KeyIdentity)
    /// Earlier transfers from the source are unfinished: they must be resumed first, or their
    /// ranges could be planned twice.
    case unfinishedTransfers(source: BoardName, transfers: [String])
    /// A bisection plan for this many destinations is not searched.
    case tooManyBoardsForBisection(Int)

    /// One line naming the request, board or transfer and what is wrong with the request.
    public var description: String {
        switch self {
        case .malformedRequest(let text, let reason):
            "cannot read the share request '\(text)': \(reason)"
        case .emptyRequest:
            "the share request names no destination board"
        case .nonPositiveAmount(let board, let amount):
            "board \(board): \(amount) is not a positive number of leaves"
        case .duplicateBoard(let board):
            "board \(board) is named more than once"
        case .notEnoughLeaves(let source, let requested, let remaining, let unused):
            "not enough leaves left: \(requested) requested, board \(source) has \(remaining) unused leaves \(unused)"
        case .sourceCountMismatch(let source, let total, let holds):
            "the counts add up to \(total) but board \(source) holds \(holds.count) leaves \(holds): "
                + "make them add up to \(holds.count), or leave \(source) out to let it keep the rest"
        case .sourceBelowUsed(let source, let keeps, let used):
            "board \(source) would keep \(keeps) leaves but has already used \(used)"
        case .emptyShare(let board, let leaves):
            "board \(board) would get no leaf: \(leaves) leaves are too few to divide this way"
        case .unknownKey(let key):
            "the ledger has no key \(key)"
        case .unknownBoard(let board, let key):
            "board \(board) holds no share of key \(key.shortDescription) in the ledger"
        case .unfinishedTransfers(let source, let transfers):
            "board \(source) has unfinished transfers \(transfers.joined(separator: ", ")): resume them first"
        case .tooManyBoardsForBisection(let count):
            "\(count) destinations: a bisection plan reaches at most \(BisectionPlanner.maximumDestinations) boards at once; export in several requests"
        }
    }
}
