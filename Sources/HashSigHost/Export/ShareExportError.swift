import HalRPC

/// Why an export run stopped. Every case names the key, board, transfer or file concerned;
/// ``needsPerson(transfer:_:)`` and ``outcomeUnknown(transfer:board:_:)`` say what to check.
public enum ShareExportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The ledger could not be read or written, or refused an event.
    case ledger(LedgerError)
    /// The request cannot be planned.
    case plan(SharePlanError)
    /// A board call failed.
    case board(BoardName, String)
    /// A board's reply was lost or damaged on the link (`HSMClientError.isLostOrDamagedReply`):
    /// the step is done again from what the ledger records, in the same run or the next.
    case linkFault(BoardName, String)
    /// The board's key is not the ledger's key.
    case publicKeyMismatch(board: BoardName, key: KeyIdentity)
    /// The board does not hold the key the ledger says it does.
    case keyNotOnBoard(board: BoardName, keyName: String)
    /// The boards were not given: `--board NAME=DEVICE`.
    case boardNotGiven(BoardName)
    /// Reaching a board showed something a person must look at first.
    case alarms([ReconciliationFinding])
    /// A request may have reached the board but no answer came: the next run finds out what
    /// happened from the boards and continues.
    case outcomeUnknown(transfer: String, board: BoardName, String)
    /// The host cannot tell what happened; a person must check the boards.
    case needsPerson(transfer: String, String)
    /// Unfinished transfers of another request: resume them (`--resume`) first.
    case unfinished(plan: String, request: String, transfers: [String])
    /// The same request from the same source already completed as this plan.
    case alreadyDone(plan: String, request: String)
    /// This blob was imported before (a replay); refused.
    case blobAlreadyImported(digest: SHA256Digest, transfer: String, board: BoardName)
    /// The blob was never exported under this ledger.
    case unknownBlob(digest: SHA256Digest)
    /// Firmware without SX1 can only halve: the request is not reachable exactly, and the
    /// person has not accepted the reachable plan (`--accept-reachable`).
    case reachablePlanNotAccepted(BisectionPlan)
    /// A bisection plan cannot go on as accepted (a transfer of it burned, or a board's state
    /// moved): make a new request.
    case bisectionPlanBroken(plan: String, String)
    /// The source's range end is uncertain after an interrupted bisection: it cannot export by
    /// bisection again.
    case rangeEndUncertain(board: BoardName)
    /// The board exported or reported another range than the ledger planned.
    case rangeMismatch(transfer: String, board: BoardName, planned: LeafRange, reported: LeafRange?)

    /// One line naming what stopped the run and, where a person must act, what to do.
    public var description: String {
        switch self {
        case .ledger(let error): "\(error)"
        case .plan(let error): "\(error)"
        case .board(let board, let detail): "board \(board): \(detail)"
        case .linkFault(let board, let detail): "board \(board): \(detail); run again to continue"
        case .publicKeyMismatch(let board, let key):
            "board \(board): its key is not \(key.shortDescription)"
        case .keyNotOnBoard(let board, let keyName):
            "board \(board) has no key \(keyName), which the ledger says it holds"
        case .boardNotGiven(let board):
            "board \(board) is needed: give it as --board \(board)=DEVICE"
        case .alarms(let findings):
            "refusing to export: " + findings.map(\.description).joined(separator: "; ")
        case .outcomeUnknown(let transfer, let board, let detail):
            "transfer \(transfer): no answer from board \(board) (\(detail)); run again with --resume to find out from the boards what happened"
        case .needsPerson(let transfer, let detail):
            "transfer \(transfer): \(detail)"
        case .unfinished(let plan, let request, let transfers):
            "plan \(plan) ('\(request)') is unfinished (\(transfers.joined(separator: ", "))): run with --resume first"
        case .alreadyDone(let plan, let request):
            "plan \(plan) already carried out '\(request)'; pass --again to allocate those leaves once more"
        case .blobAlreadyImported(let digest, let transfer, let board):
            "refusing to import: this share (blob \(digest.hex.prefix(16))…) was already imported on board \(board) by transfer \(transfer); importing it again would hand out the same one-time keys twice"
        case .unknownBlob(let digest):
            "refusing to import: blob \(digest.hex.prefix(16))… was never exported under this ledger"
        case .reachablePlanNotAccepted(let plan):
            "board \(plan.source.board) has no SX1 and can only halve its unused leaves; the request cannot be met exactly. "
                + "Reachable: " + plan.allocations.map { "\($0.board) \($0.range) (\($0.range.count)\($0.requested.map { ", asked \($0)" } ?? ""))" }
                    .joined(separator: ", ")
                + ". Pass --accept-reachable to carry out this plan, or ask for what it reaches"
        case .bisectionPlanBroken(let plan, let detail):
            "plan \(plan) cannot go on as accepted: \(detail); make a new request (--again)"
        case .rangeEndUncertain(let board):
            "board \(board) may still hold leaves above its recorded range (an interrupted export on firmware without SX1): it can sign, but exporting from it by bisection would split at an unknown point"
        case .rangeMismatch(let transfer, let board, let planned, let reported):
            "transfer \(transfer): board \(board) reports \(reported.map { "\($0)" } ?? "no range") where \(planned) was planned"
        }
    }
}

extension ShareExportError {
    /// The board whose reply was lost or damaged, when that stopped the step: a step the
    /// exporter may do again from the ledger in the same run.
    var linkFault: BoardName? {
        switch self {
        case .linkFault(let board, _), .outcomeUnknown(_, let board, _): board
        default: nil
        }
    }
}
