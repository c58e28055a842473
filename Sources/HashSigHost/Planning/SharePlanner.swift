import HalRPC

/// Turns a share request into disjoint contiguous ranges, or a clear refusal.
///
/// Pure and deterministic: the same source state and request always give the same plan.
///
/// What the numbers mean:
/// - A destination's number is the leaves it receives.
/// - The source (the board the leaves come from) keeps the bottom of its range. Named in an
///   exact request, its number is the size of the range it keeps **counting the leaves it has
///   already used**, so that "1024 leaves as A:512,B:256,C:128,D:128" on a fresh H10 key gives
///   A `[0, 512)`, B `[512, 768)`, C `[768, 896)`, D `[896, 1024)`; the counts must then add up
///   to the source's whole range. Left out, it keeps whatever the destinations do not take.
/// - Weights and "equal" divide the source's whole range when the source is named, or its
///   unused leaves when it is not, by the largest-remainder method (ties go to the board named
///   first).
public enum SharePlanner {
    /// Plans `request` against `source`.
    /// - Throws: ``SharePlanError`` naming the board at fault.
    public static func plan(source: ShareSource, request: ShareRequest) throws(SharePlanError) -> SharePlan {
        let entries: [ShareRequest.BoardAmount]
        switch request {
        case .exact(let list), .weights(let list): entries = list
        case .equal(let boards): entries = boards.map { ShareRequest.BoardAmount($0, 1) }
        }
        var seen: Set<BoardName> = []
        for entry in entries {
            guard seen.insert(entry.board).inserted else { throw .duplicateBoard(entry.board) }
            guard entry.amount > 0 else { throw .nonPositiveAmount(board: entry.board, amount: entry.amount) }
        }
        let destinations = entries.filter { $0.board != source.board }
        guard !destinations.isEmpty else { throw .emptyRequest }
        let sourceEntry = entries.first { $0.board == source.board }

        let counts: [UInt64]
        switch request {
        case .exact:
            counts = destinations.map { UInt64($0.amount) }
            if let sourceEntry {
                let total = saturatingSum(entries.map { UInt64($0.amount) })
                guard total == UInt64(source.range.count) else {
                    throw .sourceCountMismatch(source: source.board, total: total, holds: source.range)
                }
                guard UInt64(sourceEntry.amount) >= UInt64(source.used) else {
                    throw .sourceBelowUsed(source: source.board, keeps: UInt64(sourceEntry.amount), used: source.used)
                }
            }
        case .weights, .equal:
            let pool = UInt64(sourceEntry == nil ? source.remaining : source.range.count)
            let parts = divide(pool, by: entries.map { UInt64($0.amount) })
            var byBoard: [BoardName: UInt64] = [:]
            for (entry, part) in zip(entries, parts) { byBoard[entry.board] = part }
            for entry in destinations where byBoard[entry.board] == 0 {
                throw .emptyShare(board: entry.board, leaves: pool)
            }
            if let sourceEntry, let keeps = byBoard[sourceEntry.board], keeps < UInt64(source.used) {
                throw .sourceBelowUsed(source: source.board, keeps: keeps, used: source.used)
            }
            counts = destinations.map { byBoard[$0.board]! }
        }

        let exported = saturatingSum(counts)
        guard exported <= UInt64(source.remaining) else {
            throw .notEnoughLeaves(source: source.board, requested: exported, remaining: source.remaining,
                                   unused: source.unused)
        }

        // Destinations ascend in request order above what the source keeps.
        let base = source.range.end - UInt32(exported)
        var allocations = [SharePlan.Allocation(board: source.board, range: LeafRange(source.range.start..<base),
                                                isSource: true)]
        var cursor = base
        for (entry, count) in zip(destinations, counts) {
            let end = cursor + UInt32(count)
            allocations.append(SharePlan.Allocation(board: entry.board, range: LeafRange(cursor..<end), isSource: false))
            cursor = end
        }
        // Each SX1 export takes the top of what remains: run them top first.
        let transfers = allocations.dropFirst().reversed().map {
            SharePlan.Transfer(destination: $0.board, range: $0.range)
        }
        return SharePlan(source: source, request: request, allocations: allocations, transfers: transfers)
    }

    /// Largest-remainder division of `pool` by `weights` (each at most 2^32, so products fit
    /// in 64 bits after clamping). Ties go to the earlier weight.
    static func divide(_ pool: UInt64, by weights: [UInt64]) -> [UInt64] {
        let clamped = weights.map { min($0, UInt64(UInt32.max)) }
        let total = clamped.reduce(0, +)
        guard total > 0 else { return weights.map { _ in 0 } }
        var parts = clamped.map { pool * $0 / total }
        let remainders = clamped.map { pool * $0 % total }
        var leftover = pool - parts.reduce(0, +)
        let order = remainders.indices.sorted { a, b in
            remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b
        }
        for index in order where leftover > 0 {
            parts[index] += 1
            leftover -= 1
        }
        return parts
    }

    private static func saturatingSum(_ values: [UInt64]) -> UInt64 {
        var sum: UInt64 = 0
        for value in values {
            let (result, overflow) = sum.addingReportingOverflow(value)
            sum = overflow ? .max : result
        }
        return sum
    }
}
