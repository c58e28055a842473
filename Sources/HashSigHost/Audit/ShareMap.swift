import HalRPC

/// Which board's share holds each top-level leaf, from the ledger: a signature with top-level
/// index q can only have been made by the owner of q.
///
/// Sources only ever give away unused leaves from the top of their range, so every leaf has one
/// owner for good: the board whose current range holds it. Leaves of a transfer in flight or
/// burned belong to no board: a signature there means some board signs outside its share.
public struct ShareMap: Hashable, Sendable {
    /// Who holds a leaf.
    public enum Owner: Hashable, Sendable, CustomStringConvertible {
        /// Held by this board: only it may sign with the leaf.
        case board(BoardName)
        /// Reserved or exported by this transfer; no board holds it yet.
        case inTransit(transfer: String)
        /// Lost by this transfer.
        case burned(transfer: String)

        /// The owner in words, for audit findings.
        public var description: String {
            switch self {
            case .board(let board): "board \(board)"
            case .inTransit(let transfer): "transfer \(transfer) (in transit)"
            case .burned(let transfer): "transfer \(transfer) (burned)"
            }
        }
    }

    /// Ranges and their owners, sorted by start, disjoint.
    public let entries: [(range: LeafRange, owner: Owner)]

    /// A map of the given ranges, sorted by start; they must not overlap.
    /// - Parameter entries: each range with its owner.
    public init(entries: [(range: LeafRange, owner: Owner)]) {
        self.entries = entries.sorted { $0.range < $1.range }
    }

    /// The map of `state`.
    public init(state: KeyLedgerState) {
        var entries: [(range: LeafRange, owner: Owner)] = []
        for holding in state.orderedHoldings {
            // The source's range still holds its reserved-but-not-exported leaves; those are
            // carved out below and listed as in transit.
            var range = holding.range
            for transfer in state.orderedTransfers
            where transfer.source == holding.board && (transfer.state == .planned || transfer.state == .exporting)
                && transfer.range.end == range.end {
                range = LeafRange(range.start..<transfer.range.start)
            }
            entries.append((range, .board(holding.board)))
        }
        for transfer in state.orderedTransfers {
            switch transfer.state {
            case .planned, .exporting, .exported: entries.append((transfer.range, .inTransit(transfer: transfer.id)))
            case .burned: entries.append((transfer.range, .burned(transfer: transfer.id)))
            case .imported, .verified, .released: break
            }
        }
        self.init(entries: entries.filter { !$0.range.isEmpty })
    }

    /// The owner of leaf `q`, or `nil` when no share ever held it.
    public func owner(of q: UInt32) -> Owner? {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].range.end <= q { low = mid + 1 } else { high = mid }
        }
        guard low < entries.count, entries[low].range.contains(q) else { return nil }
        return entries[low].owner
    }

    /// The range of `board`, if it holds one.
    public func range(of board: BoardName) -> LeafRange? {
        entries.first { $0.owner == .board(board) }?.range
    }

    /// Equal when the same ranges have the same owners, in order (tuples are not `Equatable`, so
    /// this is written out).
    public static func == (a: ShareMap, b: ShareMap) -> Bool {
        a.entries.map(\.range) == b.entries.map(\.range) && a.entries.map(\.owner) == b.entries.map(\.owner)
    }

    /// Hashes the ranges and owners in order, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.range)
            hasher.combine(entry.owner)
        }
    }
}
