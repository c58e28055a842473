import ArgumentParser
import CryptechExitStatus

/// The `cryptech` command: one root, a subcommand per area.
@main
struct Cryptech: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cryptech",
        abstract: "Host tools for the Cryptech Alpha HSM.",
        discussion: ExitStatus.table,
        subcommands: [
            SelfCheckCommand.self,
            VersionCommand.self,
            RandomCommand.self,
            LoginCommand.self,
            LogoutCommand.self,
            HashSigCommand.self,
            DevicesCommand.self,
            ShareCommand.self,
        ]
    )
}
