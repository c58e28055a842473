import ArgumentParser
import CryptechExitStatus
import Foundation
import HalRPC
import HashSigHost

/// `cryptech share plan`: shows which leaves each board would get, without touching a board.
struct SharePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show how a share request divides a board's leaves (changes nothing).",
        discussion: """
            The source's state comes from the ledger, or from the board itself when it is given \
            with --board. Exports run top first: each takes the top of what the source has left.
            A source without SX1 (the stock firmware, as the ledger or the board shows, or with \
            --bisect) can only halve its unused leaves: the plan then lists the exports bisection \
            can do (also from boards that received a share before), each board's reachable range \
            beside its request, and the difference; 'share export' runs such a plan only when it \
            is exact or with --accept-reachable. Nothing is signed: the next index is the \
            ledger's (the export probes the board and plans again). The ledger's head is shown and \
            checked against its latest checkpoint and the boards given (see 'share status'); a \
            ledger that fails them ends with unusable input (2). The plan says whether a lost \
            export reply would burn a share: on stock firmware it does (the ledger then records \
            the share's leaves as burned, never used); an SX1 board keeps the share pending \
            until the host has stored it, and wraps it again when asked.
            """ + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .unreachable, .timeout, .protocolViolation, .usage))

    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var request: ShareRequestOptions
    @OptionGroup var boards: BoardOptions
    @OptionGroup var checkpoint: CheckpointOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Plan as for a source without SX1 (bisection only), whatever its firmware.")
    var bisect = false

    struct Output: Encodable {
        var key: String
        var source: String
        var request: String
        var allocations: [[String: String]]
        var transfers: [[String: String]]
        /// `sx1` or `bisection`.
        var method: String
        /// Whether every board gets exactly what it asked for.
        var exact: Bool
        /// The ledger's head and how much of it is verified.
        var ledger: LedgerIntegrity
        /// Whether a lost export reply would burn a share (stock firmware); `nil` when the
        /// source was not reached and its firmware is not known.
        var lostReplyBurns: Bool?
    }

    func run() async throws {
        try await ShareFailure.run {
            guard request.isGiven else { throw ValidationError("give --from and one of --shares, --weights, --equal") }
            let ledger = try await ledgerOptions.open()
            let key = try ledgerOptions.keyIdentity(in: ledger)
            let state = try ledger.state(of: key)
            let sourceName = try request.source()
            var report: BoardReport?
            var boardHasSX1: Bool?
            var pending: PendingShare?
            let (links, _) = try await boards.connect()
            let integrity: LedgerIntegrity
            do {
                integrity = try checkpoint.verify(ledger, boards: try await checkpoint.boards(for: ledger, links: links))
                if let link = links.first(where: { $0.name == sourceName }), let holding = state.holdings[sourceName],
                   let name = KeyName(uuidString: holding.keyName) {
                    let opened = try await BoardHashsigKey.open(name, on: link)
                    report = try await opened.report()
                    boardHasSX1 = report?.range != nil
                    if boardHasSX1 == true { pending = try await opened.pendingShare() }
                    await opened.close()
                }
            } catch {
                await BoardOptions.close(links)
                throw error
            }
            await BoardOptions.close(links)
            if bisect || boardHasSX1 == false || (boardHasSX1 == nil && state.holdings[sourceName]?.reportsRange == false) {
                try printBisection(ledger: ledger, key: key, state: state, source: sourceName, integrity: integrity)
                return
            }
            let plan = try SharePlanner.plan(try request.request(), from: sourceName, key: key, in: ledger, report: report)
            let range = plan.source.range
            let next = plan.source.next
            if output.json {
                try output.printJSON(Output(
                    key: key.description, source: sourceName.rawValue, request: "\(plan.request)",
                    allocations: plan.allocations.map { ["board": $0.board.rawValue, "range": "\($0.range)", "leaves": "\($0.range.count)"] },
                    transfers: plan.transfers.map { ["from": sourceName.rawValue, "to": $0.destination.rawValue, "range": "\($0.range)", "shareCount": "\($0.count)"] },
                    method: "sx1", exact: true, ledger: integrity, lostReplyBurns: pending?.lostReplyBurns))
                return
            }
            print("key \(key.shortDescription), source \(sourceName) holds \(range), next index \(next)")
            var table = TextTable("board", "range", "leaves", "unused")
            for allocation in plan.allocations {
                let unused = allocation.isSource ? allocation.range.end - min(max(next, allocation.range.start), allocation.range.end) : allocation.range.count
                table.add(allocation.board.rawValue + (allocation.isSource ? " (source)" : ""), "\(allocation.range)",
                          "\(allocation.range.count)", "\(unused)")
            }
            print(table.render())
            print("exports, in order: " + plan.transfers.map { "\($0.destination) \($0.range) (shareCount \($0.count))" }.joined(separator: ", then "))
            switch pending {
            case .notKept?: print(Self.lostReplyRisk(sourceName))
            case nil: print("board \(sourceName) not reached: whether a lost export reply would burn a share is not known (give --board)")
            case .none?, .share?: print("a lost export reply burns nothing: board \(sourceName) keeps each share pending until its blob is stored")
            }
            print(integrity.lines.joined(separator: "\n"))
        }
    }

    /// The risk of a source that does not keep exports pending, in one line.
    static func lostReplyRisk(_ source: BoardName) -> String {
        "risk: board \(source) does not keep exports pending (stock firmware): an export whose reply is lost burns its share; "
            + "the ledger records its leaves as burned, and they are never used"
    }

    /// The bisection plan from the ledger's state of the source, beside the request.
    private func printBisection(ledger: ShareLedger, key: KeyIdentity, state: KeyLedgerState, source: BoardName,
                                integrity: LedgerIntegrity) throws {
        guard let holding = state.holdings[source] else { throw SharePlanError.unknownBoard(source, key: key) }
        let unfinished = state.unfinishedTransfers(from: source)
        guard unfinished.isEmpty else { throw SharePlanError.unfinishedTransfers(source: source, transfers: unfinished.map(\.id)) }
        let sourceState: ShareSource
        do {
            sourceState = try ShareSource(board: source, range: holding.range, next: holding.next)
        } catch {
            throw SharePlanError.notEnoughLeaves(source: source, requested: 0, remaining: 0, unused: holding.range)
        }
        let plan = try BisectionPlanner.plan(source: sourceState, request: try request.request(), levels: state.publicKey.levels)
        if output.json {
            try output.printJSON(Output(
                key: key.description, source: source.rawValue, request: "\(plan.request)",
                allocations: plan.allocations.map {
                    ["board": $0.board.rawValue, "range": "\($0.range)", "leaves": "\($0.range.count)",
                     "requested": $0.requested.map { "\($0)" } ?? "", "difference": "\($0.difference)"]
                },
                transfers: plan.steps.map { ["from": $0.source.rawValue, "to": $0.destination.rawValue, "range": "\($0.range)"] },
                method: "bisection", exact: plan.isExact, ledger: integrity, lostReplyBurns: true))
            return
        }
        print("key \(key.shortDescription), source \(source) holds \(holding.range), next index \(holding.next)"
            + (holding.nextReported ? "" : " (not yet reported)") + " in the ledger")
        print("no SX1: the source can only halve its unused leaves; the export probes the board and plans again")
        var table = TextTable("board", "asked", "reachable range", "leaves", "difference")
        for allocation in plan.allocations {
            table.add(allocation.board.rawValue + (allocation.isSource ? " (source)" : ""),
                      allocation.requested.map { "\($0)" } ?? "rest", "\(allocation.range)", "\(allocation.range.count)",
                      allocation.requested == nil ? "-" : String(format: "%+lld", allocation.difference))
        }
        print(table.render())
        print("exports, in order: " + plan.steps.map { "\($0.source) -> \($0.destination) \($0.range)" }.joined(separator: ", then "))
        print(plan.isExact ? "bisection meets the request exactly"
                           : "bisection cannot meet the request exactly: 'share export' needs --accept-reachable to carry this plan out")
        print(Self.lostReplyRisk(source))
        print(integrity.lines.joined(separator: "\n"))
    }
}
