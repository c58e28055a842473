import HashSig

/// The `cryptech share status` view of one key: every board with its range, next index, leaves
/// left; every transfer and its state; capacity totals; alarms and low-capacity warnings.
/// Codable for `--json`; the CLI draws the tables.
public struct ShareStatus: Hashable, Sendable, Codable {
    public struct Board: Hashable, Sendable, Codable {
        public var board: BoardName
        public var keyName: String
        public var capacity: CapacityReport.Board
        /// `true` reached now, `false` not reachable, `nil` not asked.
        public var reachable: Bool?
        /// Why it was not reachable.
        public var error: String?
    }

    public struct Transfer: Hashable, Sendable, Codable {
        public var id: String
        public var plan: String
        public var from: BoardName
        public var to: BoardName
        public var range: LeafRange
        public var state: TransferState
        public var method: ExportMethod
        public var blobDigest: SHA256Digest?
        public var testSignatureIndex: UInt32?
        public var note: String?
    }

    public struct Alarm: Hashable, Sendable, Codable, CustomStringConvertible {
        public var board: BoardName?
        public var kind: String
        public var message: String
        /// Recorded in the ledger earlier, or found now.
        public var recorded: Bool

        public var description: String { message }
    }

    public var key: KeyIdentity
    public var label: String?
    /// L and the parameter sets of the top tree, e.g. `L=2 LMS_SHA256_M32_H10/LMOTS_SHA256_N32_W4`.
    public var parameters: String
    public var boards: [Board]
    public var transfers: [Transfer]
    public var totals: CapacityReport.Totals
    public var alarms: [Alarm]
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
