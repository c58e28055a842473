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

    func run() async throws {
        let version = try await connection.withClient { client, _ in
            try await client.getVersion()
        }
        let parts = [24, 16, 8, 0].map { String(version >> $0 & 0xFF) }
        print(parts.joined(separator: "."))
    }
}
