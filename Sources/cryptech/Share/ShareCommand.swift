import ArgumentParser
import CryptechExitStatus

/// `cryptech share`: one hashsig key shared by several boards, each holding a disjoint range
/// of its top-level one-time keys, tracked in a share ledger.
///
/// Each subcommand's `--help` lists the ``ExitStatus`` values it ends with.
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Plan, export, sign with, check and audit shares of a hashsig key across boards.",
        discussion: ExitStatus.table,
        subcommands: [
            ShareRegisterCommand.self,
            SharePlanCommand.self,
            ShareExportCommand.self,
            ShareStatusCommand.self,
            ShareSignCommand.self,
            ShareAuditCommand.self,
            ShareRepairCommand.self,
            ShareCheckpointCommand.self,
            ShareLedgerCommand.self,
        ]
    )
}
