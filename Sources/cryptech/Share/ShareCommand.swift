import ArgumentParser

/// `cryptech share`: one hashsig key shared by several boards, each holding a disjoint range
/// of its top-level one-time keys, tracked in a share ledger.
///
/// Exit status for every subcommand: 0 success; 1 the operation failed (a board refused, a
/// transfer needs a person); 2 the ledger is damaged or contradicts itself; 3 low capacity
/// without `--acknowledge-low`; 4 an alarm (an index that went backwards, a signature outside
/// its share); 64 bad usage.
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Plan, export, sign with, check and audit shares of a hashsig key across boards.",
        subcommands: [
            ShareRegisterCommand.self,
            SharePlanCommand.self,
            ShareExportCommand.self,
            ShareStatusCommand.self,
            ShareSignCommand.self,
            ShareAuditCommand.self,
            ShareRepairCommand.self,
            ShareCheckpointCommand.self,
        ]
    )
}
