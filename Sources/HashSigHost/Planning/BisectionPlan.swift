import HalRPC

/// What the reference firmware's bisection can reach for a share request, beside what was
/// asked (design.md, "Two firmwares, one host").
///
/// A board without SX1 exports a hashsig share only by halving its unused leaves: the source
/// keeps `[q, mid)`, the share is `[mid, end)` with `mid = floor((q + end) / 2)`
/// (docs/wire-protocol.md §8.7). Exact counts are reachable only where a sequence of such halvings,
/// from the source and from boards that already received a share, lands on them. The plan
/// lists those exports in order and every board's resulting range next to its request.
public struct BisectionPlan: Hashable, Sendable {
    /// One export: `source` halves its unused leaves and `destination` receives the top half.
    public struct Step: Hashable, Sendable, Codable {
        /// The board that halves its unused leaves.
        public var source: BoardName
        /// The board that receives the top half.
        public var destination: BoardName
        /// The share the step is expected to move, `[mid, end)` of the source at that moment.
        public var range: LeafRange

        /// - Parameters:
        ///   - source: the board that halves its unused leaves.
        ///   - destination: the board that receives the top half.
        ///   - range: the share the step is expected to move.
        public init(source: BoardName, destination: BoardName, range: LeafRange) {
            self.source = source
            self.destination = destination
            self.range = range
        }
    }

    /// One board afterwards: what it asked for and what bisection gives it.
    public struct Allocation: Hashable, Sendable {
        /// The board whose request and range these are.
        public var board: BoardName
        /// The leaves asked for (for the source: its whole range, used leaves included);
        /// `nil` for a source left out of an exact request (it keeps what is left).
        public var requested: UInt32?
        /// The range the board ends up with.
        public var range: LeafRange
        /// Whether this is the board the leaves come from.
        public var isSource: Bool

        /// `range.count - requested`: positive where the board gets more than it asked for.
        public var difference: Int64 { requested.map { Int64(range.count) - Int64($0) } ?? 0 }
    }

    /// The source's state the plan was made from.
    public var source: ShareSource
    /// The request as the person made it, for comparing against ``allocations``.
    public var request: ShareRequest
    /// The exports, in the order they run.
    public var steps: [Step]
    /// Every board's range afterwards: the source first, then the request's order.
    public var allocations: [Allocation]

    /// Whether every board gets exactly what it asked for.
    public var isExact: Bool { allocations.allSatisfy { $0.difference == 0 } }
}
