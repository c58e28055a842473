import ArgumentParser
import CryptechExitStatus
import Foundation
import HalRPC

/// `cryptech login`: logs the client in (LOGIN). The PIN comes from the terminal, an
/// environment variable or a file; never from the command line.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to the board.",
        discussion: """
            On a direct serial link (--device) the login belongs to client handle 0 and lasts \
            until `cryptech logout`. Through the muxd a login lasts only as long as the \
            connection, so this command then only checks the PIN.
            """ + "\n\n" + ExitStatus.help(.success, .failed, .unreachable, .timeout, .protocolViolation, .usage))

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pin: PINOptions

    @Option(help: "The user: normal, so or wheel.")
    var user: User = .normal

    @OptionGroup var output: OutputOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        var endpoint: String
        var user: String
        /// Whether the login outlasts this command (a direct serial link); through the muxd
        /// it ended with the connection, so the command only checked the PIN.
        var persists: Bool
    }

    func run() async throws {
        let secret = try pin.read(prompt: "PIN for \(user): ")
        let endpoint = try await connection.withClient { client, endpoint in
            try await client.login(user: user, pin: secret)
            return endpoint
        }
        let persists = if case .muxd = endpoint { false } else { true }
        if output.json {
            try output.printJSON(Output(endpoint: endpoint.path, user: "\(user)", persists: persists))
        } else {
            print("logged in as \(user) on \(endpoint.path)")
        }
        if !persists {
            FileHandle.standardError.write(Data("cryptech: note: through the muxd the login ended with this connection\n".utf8))
        }
    }
}
