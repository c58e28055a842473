import ArgumentParser
import CryptechExitStatus

/// `cryptech hashsig`: RFC 8554 HSS/LMS signatures in software — verify any signature, and
/// generate and use software keys kept in a local key file. Each subcommand's `--help` lists
/// the ``ExitStatus`` values it ends with.
struct HashSigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashsig",
        abstract: "Verify RFC 8554 HSS/LMS signatures; make and use software hash-signature keys.",
        discussion: ExitStatus.table,
        subcommands: [
            HashSigVerifyCommand.self,
            HashSigKeygenCommand.self,
            HashSigSignCommand.self,
            HashSigPubkeyCommand.self,
        ]
    )
}
