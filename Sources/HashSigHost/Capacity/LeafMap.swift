import HalRPC

/// Where the leaves of a key's top tree stand, board by board, in columns of equal width: the
/// picture `cryptech share status` draws (one bar per board over the whole top tree), because
/// 1,024 or a million leaves are read faster as a picture than as a table.
///
/// Every leaf's state comes from the ledger (with a board's live next index where it reported
/// one), by the rules of ``CapacityReport``: a board's **used** leaves are below its next index,
/// **free** ones from there to the end of its range, less the **reserved** ones (planned for an
/// export not yet out); leaves exported by the board and imported nowhere yet are **in transit**
/// and leaves it gave up in a failed export **burned**, both shown on the bar of the board they
/// left.
public struct LeafMap: Hashable, Sendable {
    /// The states a leaf of one board's bar can be in, in the order a tie is drawn: the rarer,
    /// more urgent ones first.
    public enum State: String, CaseIterable, Hashable, Sendable {
        /// Given up in an export that failed: never to be used by anyone.
        case burned
        /// Exported by this board, imported nowhere yet (the wrapped share is on the host).
        case inTransit
        /// Planned for an export not yet out: the board still holds it but must not sign with it.
        case reserved
        /// Below the board's next index: its one-time key is spent.
        case used
        /// The board may still sign with it.
        case free
    }

    /// How many of a board's leaves in one column are in each state.
    public struct Counts: Hashable, Sendable {
        /// Leaves below the board's next index.
        public var used: UInt32 = 0
        /// Leaves the board may still sign with.
        public var free: UInt32 = 0
        /// Leaves planned for an export not yet out.
        public var reserved: UInt32 = 0
        /// Leaves exported and imported nowhere yet.
        public var inTransit: UInt32 = 0
        /// Leaves given up in a failed export.
        public var burned: UInt32 = 0

        /// The count of leaves in `state`.
        public subscript(state: State) -> UInt32 {
            switch state {
            case .used: used
            case .free: free
            case .reserved: reserved
            case .inTransit: inTransit
            case .burned: burned
            }
        }

        /// All of the board's leaves in the column.
        public var total: UInt32 { used + free + reserved + inTransit + burned }

        /// The state most of the leaves are in (ties: ``State`` order); `nil` for none.
        public var dominant: State? {
            guard total > 0 else { return nil }
            return State.allCases.max { self[$0] < self[$1] || (self[$0] == self[$1] && $0.tieRank < $1.tieRank) }
        }
    }

    /// One board's bar.
    public struct Bar: Hashable, Sendable {
        /// The board the bar is drawn for.
        public var board: BoardName
        /// Per column.
        public var counts: [Counts]
    }

    /// 2^h: the top tree's leaves.
    public let leafCount: UInt32
    /// How many columns each bar has: the leaves are split into this many equal buckets.
    public let columnCount: Int
    /// One per board, in the order the boards came to hold the key.
    public let bars: [Bar]

    /// The map of `state`.
    /// - Parameters:
    ///   - state: the key as the ledger records it.
    ///   - reports: live reports, whose next index replaces the ledger's.
    ///   - columns: at most this many columns (fewer when the tree has fewer leaves).
    public init(state: KeyLedgerState, reports: [BoardName: BoardReport] = [:], columns: Int = 64) {
        leafCount = state.leafCount
        columnCount = max(1, min(columns, Int(state.leafCount)))
        var bars: [Bar] = []
        for holding in state.orderedHoldings {
            let board = holding.board
            let range = holding.range
            let next = min(max(reports[board]?.next ?? holding.next, range.start), range.end)
            let unused = LeafRange(next..<range.end)
            let outgoing = state.orderedTransfers.filter { $0.source == board }
            let reserved = outgoing.filter { $0.state == .planned || $0.state == .exporting }
                .compactMap { $0.range.clamped(to: unused) }
            let inTransit = outgoing.filter { $0.state == .exported }.map(\.range)
            let burned = state.burned.filter { $0.board == board }.map(\.range)
            var counts = [Counts](repeating: Counts(), count: columnCount)
            for column in 0..<columnCount {
                let bucket = Self.bucket(column, of: columnCount, leafCount: leafCount)
                counts[column].used = LeafRange(range.start..<next).overlap(with: bucket)
                counts[column].reserved = reserved.reduce(0) { $0 + $1.overlap(with: bucket) }
                counts[column].free = unused.overlap(with: bucket) - counts[column].reserved
                counts[column].inTransit = inTransit.reduce(0) { $0 + $1.overlap(with: bucket) }
                counts[column].burned = burned.reduce(0) { $0 + $1.overlap(with: bucket) }
            }
            bars.append(Bar(board: board, counts: counts))
        }
        self.bars = bars
    }

    /// The leaves column `column` stands for: an equal share of the tree (a tree has 2^h
    /// leaves, so with a power of two of columns every column has as many).
    public func bucket(_ column: Int) -> LeafRange {
        Self.bucket(column, of: columnCount, leafCount: leafCount)
    }

    private static func bucket(_ column: Int, of columns: Int, leafCount: UInt32) -> LeafRange {
        let start = UInt64(column) * UInt64(leafCount) / UInt64(columns)
        let end = UInt64(column + 1) * UInt64(leafCount) / UInt64(columns)
        return LeafRange(UInt32(start)..<UInt32(end))
    }
}

extension LeafMap.State {
    /// Higher wins a tie.
    fileprivate var tieRank: Int { -(Self.allCases.firstIndex(of: self) ?? 0) }
}

extension LeafRange {
    /// How many leaves this range shares with `other`.
    fileprivate func overlap(with other: LeafRange) -> UInt32 {
        let start = Swift.max(self.start, other.start)
        let end = Swift.min(self.end, other.end)
        return end > start ? end - start : 0
    }

    /// The part of this range inside `other`, or `nil` when they share no leaf.
    fileprivate func clamped(to other: LeafRange) -> LeafRange? {
        let start = Swift.max(self.start, other.start)
        let end = Swift.min(self.end, other.end)
        return end > start ? LeafRange(start..<end) : nil
    }
}
