import ArgumentParser
import CryptechExitStatus
import CryptechMetrics
import Foundation
import HalRPC
import HashSigHost

/// `cryptech share status`: every board of a key, its range, next index and leaves left;
/// every transfer; capacity; alarms and low-capacity warnings.
struct ShareStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a key's boards, ranges, leaves left and transfers; check the boards given against the ledger.",
        discussion: """
            Boards given with --board are asked for their next index and range; what they say is \
            recorded in the ledger, and anything that contradicts it (an index that went \
            backwards, beyond its share) is an alarm. A board without SX1 range \
            attributes (the stock firmware) is asked by a probe signature instead: it spends one \
            one-time key of its lowest tree (with L = 1, a top-level leaf) and shows the next \
            top-level index, not the range; the table says which boards were probed. Fewer leaves than the \
            thresholds is a warning that ends with low capacity unless --acknowledge-low is given.
            The ledger's head (record count, SHA-256 of the last line) is shown and checked \
            against its latest checkpoint (see 'share checkpoint') and the heads the boards given \
            anchored; a ledger that fails them ends with unusable input (2) before anything is \
            recorded. Records after the last verified one are reported as unverified.

            Under the table a leaf map shows the whole top tree once per board, a column per \
            64th of the leaves (one per leaf for a tree of fewer): what most of the board's \
            leaves in the column are (# used, - free, r reserved for an export, > exported and \
            in transit, x burned; blank where the board holds none). --no-map leaves it out.

            --metrics-file writes the capacity as Prometheus gauges (replaced atomically, also \
            when the status ends with low capacity or an alarm), for node_exporter's textfile \
            collector: run it from a timer with a *.prom file in the collector's directory and \
            alert on the available leaves. Labels key (I:T1 in hex) and, per board, board:
            """ + "\n" + CapacityMetrics.catalogue.map { "  \($0.name)  \($0.meaning)" }.joined(separator: "\n")
            + "\n\n" + ExitStatus.help(.success, .failed, .badInput, .lowCapacity, .alarm, .usage))

    @OptionGroup var ledgerOptions: LedgerOptions
    @OptionGroup var boards: BoardOptions
    @OptionGroup var checkpoint: CheckpointOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Warn when a board has fewer available leaves than this.")
    var lowBoard: UInt32 = 16

    @Option(help: "Warn when the key has fewer available leaves than this in all.")
    var lowTotal: UInt64 = 64

    @Flag(help: "Exit 0 despite low-capacity warnings (they are still printed).")
    var acknowledgeLow = false

    @Option(help: ArgumentHelp("Also write the capacity as Prometheus gauges to this file (see below).", valueName: "path"))
    var metricsFile: String?

    @Flag(help: "Leave out the leaf map under the table.")
    var noMap = false

    func run() async throws {
        try await ShareFailure.run {
            let ledger = try await ledgerOptions.open()
            let key = try ledgerOptions.keyIdentity(in: ledger)
            var state = try ledger.state(of: key)
            let (links, failed) = try await boards.connect(tolerant: true)
            defer { Task { await BoardOptions.close(links) } }
            var unreachable = failed
            // A ledger that fails its checkpoint is reported before anything is appended to it.
            let checkpointBoards = try await checkpoint.boards(for: ledger, links: links)
            try checkpoint.verify(ledger, boards: checkpointBoards)
            var reports: [BoardName: BoardReport] = [:]
            var probed: [BoardName: UInt32] = [:]
            var alarmsNow = 0
            for link in links {
                guard let holding = state.holdings[link.name], let name = KeyName(uuidString: holding.keyName) else {
                    unreachable[link.name] = "the ledger has no key of board \(link.name)"
                    continue
                }
                do {
                    let opened = try await BoardHashsigKey.open(name, on: link)
                    let report: BoardReport
                    let probe: BoardHashsigKey.Probe?
                    do {
                        (report, probe) = try await opened.reportOrProbe(Array("cryptech share status probe".utf8))
                    } catch {
                        await opened.close()
                        throw error
                    }
                    await opened.close()
                    reports[link.name] = report
                    if let probe { probed[link.name] = probe.index }
                    // Record what the board said, and any alarm, so the history keeps it.
                    let (events, alarms) = Reconciler.events(for: report, board: link.name, state: state, probeIndex: probe?.index)
                    alarmsNow += alarms.count
                    if !events.isEmpty {
                        try await ledger.append(events, key: key)
                        state = try ledger.state(of: key)
                    }
                } catch let error as LedgerError {
                    throw error
                } catch {
                    unreachable[link.name] = "\(error)"
                }
            }
            var status = ShareStatus(state: state, reports: reports, unreachable: unreachable,
                                     policy: CapacityPolicy(boardThreshold: lowBoard, totalThreshold: lowTotal))
            status.probed = probed
            status.ledger = try checkpoint.integrity(of: ledger, boards: checkpointBoards)
            // Recorded alarms are the history; one found again now is shown once.
            var seen: Set<String> = []
            status.alarms = status.alarms.filter { seen.insert($0.message).inserted }
            if let metricsFile {
                try PrometheusTextFile.write(to: metricsFile) { CapacityMetrics.record(status, factory: $0) }
            }
            if output.json {
                try output.printJSON(status)
            } else {
                print(Self.render(status))
                if !noMap { print(Self.render(LeafMap(state: state, reports: reports))) }
            }
            for warning in status.warnings {
                FileHandle.standardError.write(Data("cryptech share: warning: \(warning)\n".utf8))
            }
            if alarmsNow > 0 { throw ExitCode(.alarm) }
            if !status.warnings.isEmpty, !acknowledgeLow {
                FileHandle.standardError.write(Data("cryptech share: low capacity: pass --acknowledge-low to exit 0\n".utf8))
                throw ExitCode(.lowCapacity)
            }
        }
    }

    /// The leaf map: a bar per board, a character per column, and the legend.
    static func render(_ map: LeafMap) -> String {
        let perColumn = map.bucket(0).count
        let width = map.bars.map(\.board.rawValue.count).max() ?? 0
        var lines = ["leaf map: q 0 to \(map.leafCount), \(perColumn) \(perColumn == 1 ? "leaf" : "leaves") per column"]
        for bar in map.bars {
            let name = bar.board.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(name) |" + String(bar.counts.map { $0.dominant.map(symbol) ?? " " }) + "|")
        }
        lines.append("  " + String(repeating: " ", count: width) + "  "
            + LeafMap.State.allCases.reversed().map { "\(symbol($0)) \(legend($0))" }.joined(separator: "  "))
        return lines.joined(separator: "\n")
    }

    private static func symbol(_ state: LeafMap.State) -> Character {
        switch state {
        case .used: "#"
        case .free: "-"
        case .reserved: "r"
        case .inTransit: ">"
        case .burned: "x"
        }
    }

    private static func legend(_ state: LeafMap.State) -> String {
        switch state {
        case .used: "used"
        case .free: "free"
        case .reserved: "reserved"
        case .inTransit: "in transit"
        case .burned: "burned"
        }
    }

    static func render(_ status: ShareStatus) -> String {
        var lines = ["key \(status.key)", "  \(status.parameters)\(status.label.map { ", \($0)" } ?? "")"]
        var boards = TextTable("board", "range", "next", "used", "free", "reserved", "burned", "available", "reached")
        for board in status.boards {
            let c = board.capacity
            boards.add(board.board.rawValue, "\(c.range)", "\(c.next)\(c.nextReported ? "" : "?")", "\(c.used)", "\(c.free)",
                       "\(c.reserved)", "\(c.burned)", "\(c.available)",
                       board.reachable.map { $0 ? (status.probed[board.board].map { "yes, probe q=\($0)" } ?? "yes") : "NO: \(board.error ?? "")" } ?? "-")
        }
        lines.append(boards.render())
        let t = status.totals
        lines.append("total \(t.leafCount) leaves: \(t.allocated) held (\(t.used) used, \(t.free) free, \(t.reserved) reserved), "
            + "\(t.inTransit) in transit, \(t.burned) burned, \(t.outsideLedger) outside the ledger; \(t.available) available")
        if !status.transfers.isEmpty {
            var transfers = TextTable("transfer", "plan", "from", "to", "range", "state", "method")
            for transfer in status.transfers {
                transfers.add(transfer.id, transfer.plan, transfer.from.rawValue, transfer.to.rawValue, "\(transfer.range)",
                              transfer.state.rawValue, transfer.method.rawValue)
            }
            lines.append(transfers.render())
        }
        if !status.probed.isEmpty {
            lines.append("no SX1 range attributes on " + status.probed.keys.sorted().map(\.rawValue).joined(separator: ", ")
                + ": next index from a probe signature (one signature each), range from the ledger")
        }
        lines += status.ledger?.lines ?? []
        lines += status.alarms.map { "ALARM: \($0.message)" }
        lines += status.notes.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }
}
