import HalRPC

/// Finds the sequence of bisections that comes closest to a share request (see
/// ``BisectionPlan``).
///
/// Pure and deterministic. The request is first turned into exact counts the way
/// ``SharePlanner`` does (so its refusals are the same); then every order of halvings (each
/// step halves the source or a board that already received a share) is tried, the pieces are
/// matched to the boards by size, and the order with the smallest total difference wins
/// (ties: the first found, which prefers halving earlier pieces first).
///
/// What a step costs, as the firmware spends leaves:
/// - with one level (L = 1) the probe signature that tells the host the source's next index
///   uses a top-level leaf itself, so the split moves up by one;
/// - with more levels a new share's board signs its first lower tree with the share's first
///   leaf at import, so that board's next index is one above its start.
public enum BisectionPlanner {
    /// More destinations than this are not searched (8! orders).
    public static let maximumDestinations = 8

    /// Plans `request` from `source` for a key of `levels` HSS levels.
    /// - Throws: ``SharePlanError`` as ``SharePlanner/plan(source:request:)`` does, and
    ///   ``SharePlanError/tooManyBoardsForBisection(_:)``, or
    ///   ``SharePlanError/notEnoughLeaves(source:requested:remaining:unused:)`` when the source
    ///   cannot be halved as often as there are destinations.
    public static func plan(source: ShareSource, request: ShareRequest, levels: Int) throws(SharePlanError) -> BisectionPlan {
        // The exact counts the request means (same validation as an SX1 plan).
        let exact = try SharePlanner.plan(source: source, request: request)
        let sourceNamed = request.boards.contains(source.board)
        let destinations = exact.allocations.filter { !$0.isSource }.map { (board: $0.board, count: $0.range.count) }
        guard destinations.count <= maximumDestinations else { throw .tooManyBoardsForBisection(destinations.count) }
        let requestOrder = request.boards.filter { $0 != source.board }
        let targets = requestOrder.compactMap { board in destinations.first { $0.board == board } }

        var best: (cost: UInt64, pieces: [Piece], splits: [Int])?
        var pieces = [Piece(range: source.range, next: source.next)]
        var splits: [Int] = []
        func search() {
            if splits.count == targets.count {
                let cost = assignmentCost(pieces: pieces, targets: targets, sourceTarget: sourceNamed ? exact.sourceKeeps.count : nil)
                if best == nil || cost < best!.cost { best = (cost, pieces, splits) }
                return
            }
            for index in pieces.indices {
                let before = pieces[index]
                guard let (kept, share) = before.halved(levels: levels) else { continue }
                pieces[index] = kept
                pieces.append(share)
                splits.append(index)
                search()
                splits.removeLast()
                pieces.removeLast()
                pieces[index] = before
            }
        }
        search()
        guard let best else {
            throw .notEnoughLeaves(source: source.board, requested: UInt64(targets.count) * 2, remaining: source.remaining,
                                   unused: source.unused)
        }

        // Boards to pieces: both sorted by size, pieces 1... are the shares in creation order.
        let owner = assign(pieces: best.pieces, targets: targets)
        var boardOfPiece = [source.board] + Array(repeating: source.board, count: targets.count)
        for (target, piece) in owner { boardOfPiece[piece] = targets[target].board }
        var steps: [BisectionPlan.Step] = []
        var replay = [Piece(range: source.range, next: source.next)]
        for (number, index) in best.splits.enumerated() {
            let (kept, share) = replay[index].halved(levels: levels)!
            replay[index] = kept
            replay.append(share)
            steps.append(.init(source: boardOfPiece[index], destination: boardOfPiece[number + 1], range: share.range))
        }
        var allocations = [BisectionPlan.Allocation(board: source.board, requested: sourceNamed ? exact.sourceKeeps.count : nil,
                                                    range: best.pieces[0].range, isSource: true)]
        for (number, target) in targets.enumerated() {
            let piece = owner.first { $0.target == number }!.piece
            allocations.append(.init(board: target.board, requested: target.count, range: best.pieces[piece].range, isSource: false))
        }
        return BisectionPlan(source: source, request: request, steps: steps, allocations: allocations)
    }

    /// A board's share while planning: its range and next unused leaf.
    struct Piece: Hashable {
        var range: LeafRange
        var next: UInt32

        /// The firmware's halving (docs/wire-protocol.md §8.7), after a probe signature; `nil` when
        /// fewer than two unused leaves are left (the board answers 48).
        func halved(levels: Int) -> (kept: Piece, share: Piece)? {
            let probed = levels == 1 ? next + 1 : next
            guard probed < range.end else { return nil }
            let mid = UInt32((UInt64(probed) + UInt64(range.end)) / 2)
            guard mid > probed else { return nil }
            let share = Piece(range: LeafRange(mid..<range.end), next: levels > 1 ? mid + 1 : mid)
            return (Piece(range: LeafRange(range.start..<mid), next: probed), share)
        }
    }

    /// Total difference when the shares (pieces 1...) go to the targets by size.
    static func assignmentCost(pieces: [Piece], targets: [(board: BoardName, count: UInt32)], sourceTarget: UInt32?) -> UInt64 {
        var cost: UInt64 = 0
        if let sourceTarget { cost += distance(pieces[0].range.count, sourceTarget) }
        for (target, piece) in assign(pieces: pieces, targets: targets) {
            cost += distance(pieces[piece].range.count, targets[target].count)
        }
        return cost
    }

    /// Sorted matching (optimal for a sum of absolute differences): the smallest share to
    /// the smallest request. Shares of equal size are interchangeable, so among them the
    /// boards take ranges in request order (the first named, the lowest range).
    static func assign(pieces: [Piece], targets: [(board: BoardName, count: UInt32)]) -> [(target: Int, piece: Int)] {
        let shares = pieces.indices.dropFirst().sorted { (pieces[$0].range.count, $0) < (pieces[$1].range.count, $1) }
        let wanted = targets.indices.sorted { (targets[$0].count, $0) < (targets[$1].count, $1) }
        var pairs: [(target: Int, piece: Int)] = []
        var index = 0
        while index < shares.count {
            var end = index
            while end < shares.count, pieces[shares[end]].range.count == pieces[shares[index]].range.count { end += 1 }
            let group = shares[index..<end].sorted { pieces[$0].range.start < pieces[$1].range.start }
            pairs += zip(wanted[index..<end].sorted(), group).map { ($0, $1) }
            index = end
        }
        return pairs
    }

    private static func distance(_ a: UInt32, _ b: UInt32) -> UInt64 {
        a > b ? UInt64(a - b) : UInt64(b - a)
    }
}
