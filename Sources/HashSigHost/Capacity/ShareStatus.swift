import HalRPC
import HashSig

/// The `cryptech share status` view of one key: every board with its range, next index, leaves
/// left; every transfer and its state; capacity totals; alarms and low-capacity warnings.
/// Codable for `--json`; the CLI draws the tables.
public struct ShareStatus: Hashable, Sendable, Codable {
    /// One board that holds (or held) a share of the key: a row of the boards table, and an
    /// element of `boards` in `--json`.
    public struct Board: Hashable, Sendable, Codable {
        /// The board's name.
        public var board: BoardName
        /// The key's name (UUID) on that board; empty when the ledger has none for it.
        public var keyName: String
        /// Its range, next index and leaves left, as the ledger and the board's report give them.
        public var capacity: CapacityReport.Board
        /// `true` reached now, `false` not reachable, `nil` not asked.
        public var reachable: Bool?
        /// Why it was not reachable.
        public var error: String?
    }

    /// One transfer of the key, whatever its state: a row of the transfers table.
    public struct Transfer: Hashable, Sendable, Codable {
        /// The transfer's id (`T1`, …), as the ledger records it.
        public var id: String
        /// The id of the plan it belongs to (`P1`, …).
        public var plan: String
        /// The source board.
        public var from: BoardName
        /// The destination board.
        public var to: BoardName
        /// The top-level leaves it moves.
        public var range: LeafRange
        /// Where it stands; an unfinished one is listed in ``ShareStatus/notes`` with how to resume it.
        public var state: TransferState
        /// How the share is exported.
        public var method: ExportMethod
        /// SHA-256 of the wrapped share, once exported.
        public var blobDigest: SHA256Digest?
        /// The leaf index of the destination's test signature, when one was made.
        public var testSignatureIndex: UInt32?
        /// The remark recorded with the transfer: the export's note, or why it burned or was released.
        public var note: String?
    }

    /// Something a person must look at: recorded in the ledger, or found now by comparing a
    /// board's report with the ledger.
    public struct Alarm: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The board concerned, if one is.
        public var board: BoardName?
        /// A stable word for scripts (`index-went-backwards`, …).
        public var kind: String
        /// The finding in words.
        public var message: String
        /// Recorded in the ledger earlier, or found now.
        public var recorded: Bool

        /// The finding in words (``message``).
        public var description: String { message }
    }

    /// Which key this is.
    public var key: KeyIdentity
    /// The note recorded with the key, if any.
    public var label: String?
    /// L and the parameter sets of the top tree, e.g. `L=2 LMS_SHA256_M32_H10/LMOTS_SHA256_N32_W4`.
    public var parameters: String
    /// Every board with a share of the key, in the ledger's order.
    public var boards: [Board]
    /// Every transfer of the key, oldest first.
    public var transfers: [Transfer]
    /// The whole key's leaves by where they are: used, free, reserved, in transit, burned.
    public var totals: CapacityReport.Totals
    /// Recorded alarms, then those found now.
    public var alarms: [Alarm]
    /// Boards (or the key) below the low-capacity thresholds.
    public var warnings: [LowCapacityWarning]
    /// Findings that resuming an export resolves (not alarms).
    public var notes: [String]
    /// Boards without SX1 range attributes that were asked by a probe signature, with its
    /// top-level leaf index: their range is the ledger's, their next index the probe's + 1.
    public var probed: [BoardName: UInt32] = [:]
    /// The ledger's head and how much of it a checkpoint or a board vouches for.
    public var ledger: LedgerIntegrity?

    /// Builds the view.
    /// - Parameters:
    ///   - state: the ledger's state of the key.
    ///   - reports: what reachable boards report now.
    ///   - unreachable: boards that were asked but could not be reached, with why.
    ///   - policy: the low-capacity thresholds.
    public init(state: KeyLedgerState, reports: [BoardName: BoardReport] = [:],
                unreachable: [BoardName: String] = [:], policy: CapacityPolicy = CapacityPolicy()) {
        let capacity = CapacityReport(state: state, reports: reports)
        key = state.key
        label = state.label
        let top = state.publicKey.topPublicKey
        parameters = "L=\(state.publicKey.levels) \(top.lmsType)/\(top.lmotsType)"
        boards = capacity.boards.map { board in
            let reachable: Bool? = reports[board.board] != nil ? true : (unreachable[board.board] != nil ? false : nil)
            return Board(board: board.board, keyName: state.holdings[board.board]?.keyName ?? "",
                         capacity: board, reachable: reachable, error: unreachable[board.board])
        }
        transfers = state.orderedTransfers.map {
            Transfer(id: $0.id, plan: $0.plan, from: $0.source, to: $0.destination, range: $0.range, state: $0.state,
                     method: $0.method, blobDigest: $0.blobDigest, testSignatureIndex: $0.testSignatureIndex, note: $0.note)
        }
        totals = capacity.totals
        var alarms = state.alarms.map { Alarm(board: $0.board, kind: $0.kind, message: $0.message, recorded: true) }
        var notes: [String] = []
        for (board, report) in reports.sorted(by: { $0.key < $1.key }) {
            for finding in Reconciler.reconcile(report, board: board, state: state) {
                if finding.isAlarm {
                    alarms.append(Alarm(board: board, kind: finding.kind, message: finding.description, recorded: false))
                } else {
                    notes.append(finding.description)
                }
            }
        }
        for transfer in state.orderedTransfers where !transfer.state.isFinished {
            notes.append("transfer \(transfer.id) \(transfer.source) -> \(transfer.destination) \(transfer.range) is \(transfer.state): run 'cryptech share export --resume'")
        }
        self.alarms = alarms
        self.notes = notes
        warnings = policy.warnings(for: capacity)
    }
}
