import HalRPC

extension SharePlanner {
    /// Plans `request` from `source`'s holding of `key` in `ledger`, with the board's own
    /// report when one is given (its next index and range are fresher than the ledger's).
    /// - Throws: ``SharePlanError/unknownKey(_:)``, ``SharePlanError/unknownBoard(_:key:)``,
    ///   ``SharePlanError/unfinishedTransfers(source:transfers:)`` (their ranges may or may not
    ///   have left the board yet), or the planner's own refusals.
    public static func plan(_ request: ShareRequest, from source: BoardName, key: KeyIdentity, in ledger: ShareLedger,
                            report: BoardReport? = nil) throws(SharePlanError) -> SharePlan {
        guard let state = try? ledger.state(of: key) else { throw .unknownKey(key) }
        guard let holding = state.holdings[source] else { throw .unknownBoard(source, key: key) }
        let unfinished = state.unfinishedTransfers(from: source)
        guard unfinished.isEmpty else { throw .unfinishedTransfers(source: source, transfers: unfinished.map(\.id)) }
        let range = report?.range ?? holding.range
        let next = report?.next ?? holding.next
        guard let sourceState = try? ShareSource(board: source, range: range, next: next) else {
            throw .notEnoughLeaves(source: source, requested: 0, remaining: 0, unused: range)
        }
        return try plan(source: sourceState, request: request)
    }
}
