import ArgumentParser
import CryptechExitStatus

/// `cryptech share ledger`: the ledger itself, apart from any key or board.
struct ShareLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Work on a share ledger as a whole: copy it between a file and etcd.",
        discussion: ExitStatus.help(.success, .failed, .badInput, .unreachable, .usage),
        subcommands: [ShareLedgerCopyCommand.self]
    )
}
