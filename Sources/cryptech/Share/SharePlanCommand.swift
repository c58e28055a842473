import ArgumentParser
import HashSigHost

/// `cryptech share plan`: shows which leaves each board would get, without touching a board.
struct SharePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show how a share request divides a board's leaves (changes nothing).",
        discussion: """
            The source's state comes from the ledger, or from the board itself when it is given \
            with --board. Exports run top first: each takes the top of what the source has left.
            """)

    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var request: ShareRequestOptions
    @OptionGroup var boards: BoardOptions
    @OptionGroup var output: OutputOptions

    struct Output: Encodable {
        var key: String
        var source: String
        var request: String
        var allocations: [[String: String]]
        var transfers: [[String: String]]
    }

    func run() async throws {
        try await ShareFailure.run {
            guard request.isGiven else { throw ValidationError("give --from and one of --shares, --weights, --equal") }
            let ledger = try ledgerOptions.open()
            let key = try ledgerOptions.keyIdentity(in: ledger)
            let state = try ledger.state(of: key)
            let sourceName = try request.source()
            var report: BoardReport?
            if !boards.boards.isEmpty, let holding = state.holdings[sourceName], let name = KeyName(uuidString: holding.keyName) {
                let (links, _) = try await boards.connect()
                if let link = links.first(where: { $0.name == sourceName }) {
                    let opened = try await BoardHashsigKey.open(name, on: link)
                    report = try await opened.report()
                    await opened.close()
                }
                await BoardOptions.close(links)
            }
            let plan = try SharePlanner.plan(try request.request(), from: sourceName, key: key, in: ledger, report: report)
            let range = plan.source.range
            let next = plan.source.next
            if output.json {
                try output.printJSON(Output(
                    key: key.description, source: sourceName.rawValue, request: "\(plan.request)",
                    allocations: plan.allocations.map { ["board": $0.board.rawValue, "range": "\($0.range)", "leaves": "\($0.range.count)"] },
                    transfers: plan.transfers.map { ["to": $0.destination.rawValue, "range": "\($0.range)", "shareCount": "\($0.count)"] }))
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
        }
    }
}

import HalRPC
