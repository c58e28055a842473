import ArgumentParser
import CryptechExitStatus
import HalRPC

/// `cryptech logout`: ends the client's login (LOGOUT); the board deletes the client's
/// volatile keys.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Log out of the board.",
        discussion: ExitStatus.help(.success, .failed, .unreachable, .timeout, .protocolViolation, .usage))

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        var endpoint: String
    }

    func run() async throws {
        let endpoint = try await connection.withClient { client, endpoint in
            try await client.logout()
            return endpoint
        }
        if output.json {
            try output.printJSON(Output(endpoint: endpoint.path))
        } else {
            print("logged out on \(endpoint.path)")
        }
    }
}
