import HalRPC

/// Leaves by where they are, per board and for the whole key, as the firmware really spends
/// them (design.md, "What the firmware really does to capacity"):
///
/// - **used**: below a board's next index: signatures, and one leaf per restart and per
///   replaced lower tree (the top tree signs each new level-1 tree);
/// - **free**: from the next index to the end of the board's range;
/// - **reserved**: free leaves planned for an export that has not left the board yet;
/// - **in transit**: exported, imported nowhere yet;
/// - **burned**: left the source, but no board holds them (a failed export after the source
///   shrank): lost, never reused;
/// - **outside the ledger**: top-tree leaves no registered board ever held.
public struct CapacityReport: Hashable, Sendable, Codable {
    /// One board's share of the key, its leaves counted by where they are.
    public struct Board: Hashable, Sendable, Codable {
        /// The board's name.
        public var board: BoardName
        /// The top-level leaves the board holds.
        public var range: LeafRange
        /// The board's next unused leaf: reported now, or the ledger's lower bound.
        public var next: UInt32
        /// Whether ``next`` is what the board reported (rather than the ledger's lower bound).
        public var nextReported: Bool
        /// `range.count`.
        public var allocated: UInt32
        /// Leaves below the next index: spent by signatures, restarts and new lower trees.
        public var used: UInt32
        /// Leaves from the next index to the end of the range.
        public var free: UInt32
        /// Free leaves planned for an export that has not left the board yet; not to be signed with.
        public var reserved: UInt32
        /// Burned from this board's range by failed exports.
        public var burned: UInt32
        /// `free - reserved`: what the board can still sign with.
        public var available: UInt32
    }

    /// The whole key's leaves by where they are; ``CapacityReport`` lists what each count means.
    public struct Totals: Hashable, Sendable, Codable {
        /// 2^h.
        public var leafCount: UInt32
        /// Leaves in the boards' ranges, summed.
        public var allocated: UInt64
        /// Used leaves over every board.
        public var used: UInt64
        /// Free leaves over every board.
        public var free: UInt64
        /// Reserved leaves over every board.
        public var reserved: UInt64
        /// Leaves exported and imported nowhere yet.
        public var inTransit: UInt64
        /// Leaves burned by failed exports: lost for good.
        public var burned: UInt64
        /// Leaves the boards can still sign with (`free - reserved`), summed.
        public var available: UInt64
        /// Top-tree leaves no registered board ever held.
        public var outsideLedger: UInt64
    }

    /// Every board that holds a share, in the ledger's order.
    public var boards: [Board]
    /// The counts over the whole key.
    public var totals: Totals

    /// The report for `state`, with each board's next index replaced by a live report where
    /// one is given.
    public init(state: KeyLedgerState, reports: [BoardName: BoardReport] = [:]) {
        var boards: [Board] = []
        for holding in state.orderedHoldings {
            let range = holding.range
            var next = holding.next
            var nextReported = holding.nextReported
            if let report = reports[holding.board] {
                next = report.next
                nextReported = true
            }
            let clamped = min(max(next, range.start), range.end)
            let reserved = state.orderedTransfers
                .filter { $0.source == holding.board && ($0.state == .planned || $0.state == .exporting) }
                .reduce(UInt32(0)) { sum, transfer in
                    let start = max(transfer.range.start, clamped)
                    let end = min(transfer.range.end, range.end)
                    return sum + (end > start ? end - start : 0)
                }
            let burned = state.burned.filter { $0.board == holding.board }.reduce(UInt32(0)) { $0 + $1.range.count }
            let free = range.end - clamped
            boards.append(Board(board: holding.board, range: range, next: next, nextReported: nextReported,
                                allocated: range.count, used: clamped - range.start, free: free, reserved: reserved,
                                burned: burned, available: free - min(reserved, free)))
        }
        let inTransit = state.orderedTransfers.filter { $0.state == .exported }.reduce(UInt64(0)) { $0 + UInt64($1.range.count) }
        let burned = state.burned.reduce(UInt64(0)) { $0 + UInt64($1.range.count) }
        let allocated = boards.reduce(UInt64(0)) { $0 + UInt64($1.allocated) }
        let accounted = allocated + inTransit + burned
        totals = Totals(
            leafCount: state.leafCount, allocated: allocated,
            used: boards.reduce(0) { $0 + UInt64($1.used) }, free: boards.reduce(0) { $0 + UInt64($1.free) },
            reserved: boards.reduce(0) { $0 + UInt64($1.reserved) }, inTransit: inTransit, burned: burned,
            available: boards.reduce(0) { $0 + UInt64($1.available) },
            outsideLedger: UInt64(state.leafCount) > accounted ? UInt64(state.leafCount) - accounted : 0)
        self.boards = boards
    }
}
