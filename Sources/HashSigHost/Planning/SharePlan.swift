import HalRPC

/// The result of planning: which leaves each board ends up with, and the exports that get
/// them there.
///
/// SX1 semantics (design.md): each export takes the **top** `shareCount` leaves of the
/// source's remaining range. So the destinations' ranges are laid out above the source's, in
/// request order, and exported from the top down: executing ``transfers`` in order yields
/// exactly ``allocations``.
public struct SharePlan: Hashable, Sendable {
    /// One board's range after the plan.
    public struct Allocation: Hashable, Sendable {
        /// The board whose range this is.
        public var board: BoardName
        /// The board's whole range; for the source, its used leaves included.
        public var range: LeafRange
        /// Whether this is the board the leaves come from.
        public var isSource: Bool
    }

    /// One export: the source gives `range` (the top of its remaining leaves at that moment).
    public struct Transfer: Hashable, Sendable {
        /// The board that receives the leaves.
        public var destination: BoardName
        /// The leaves it receives: the top of the source's remaining range when the export runs.
        public var range: LeafRange
        /// SX1 `shareCount`.
        public var count: UInt32 { range.count }
    }

    /// The source's state the plan was made from.
    public var source: ShareSource
    /// The request, as typed.
    public var request: ShareRequest
    /// Every board's range afterwards, ascending; the source first.
    public var allocations: [Allocation]
    /// The exports, in the order they must run (top range first).
    public var transfers: [Transfer]

    /// The range the source keeps: `[qStart, qEnd - exported)`.
    public var sourceKeeps: LeafRange { allocations[0].range }
    /// Leaves exported in all.
    public var exportedCount: UInt32 { transfers.reduce(0) { $0 + $1.count } }
}
