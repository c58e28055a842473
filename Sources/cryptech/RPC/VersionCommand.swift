import ArgumentParser
import CryptechExitStatus
import HalRPC

/// `cryptech version`: the board's RPC protocol version (GET_VERSION).
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the board's RPC protocol version.",
        discussion: ExitStatus.help(.success, .failed, .unreachable, .timeout, .protocolViolation, .usage))

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        var endpoint: String
        /// Dotted, one number per byte, most significant first.
        var version: String
        /// The 32-bit word GET_VERSION returns.
        var word: UInt32
    }

    func run() async throws {
        let (version, endpoint) = try await connection.withClient { client, endpoint in
            (try await client.getVersion(), endpoint)
        }
        let dotted = [24, 16, 8, 0].map { String(version >> $0 & 0xFF) }.joined(separator: ".")
        if output.json {
            try output.printJSON(Output(endpoint: endpoint.path, version: dotted, word: version))
        } else {
            print(dotted)
        }
    }
}
