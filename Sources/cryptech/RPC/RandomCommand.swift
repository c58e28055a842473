import ArgumentParser
import CryptechExitStatus
import CryptechHex
import Foundation
import HalRPC

/// `cryptech random N`: bytes from the board's TRNG, as hex or raw.
struct RandomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "random",
        abstract: "Print random bytes from the board's generator.",
        discussion: ExitStatus.help(.success, .failed, .unreachable, .timeout, .protocolViolation, .usage))

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "How many bytes.")
    var count: Int

    @Flag(help: "Write the raw bytes to standard output instead of hex.")
    var raw = false

    /// `--json`: see docs/json.md.
    struct Output: Encodable {
        var endpoint: String
        var count: Int
        var hex: String
    }

    func validate() throws {
        guard count >= 0 else { throw ValidationError("the byte count must not be negative") }
        if raw, output.json { throw ValidationError("give either --raw or --json, not both") }
    }

    func run() async throws {
        let stdout = FileHandle.standardOutput
        // Hex is written as it arrives, so a large count is never held whole; JSON is one
        // object, so it waits for the last chunk.
        var collected = ""
        let endpoint = try await connection.withClient { client, endpoint in
            var left = count
            // One GET_RANDOM carries at most 16368 bytes; larger counts take several.
            while left > 0 {
                let chunk = try await client.getRandom(count: min(left, RPC.GetRandom.maximumCount))
                left -= chunk.count
                if raw {
                    stdout.write(Data(chunk))
                } else {
                    let hex = Hex.encode(chunk)
                    if output.json { collected += hex } else { stdout.write(Data(hex.utf8)) }
                }
            }
            return endpoint
        }
        if output.json {
            try output.printJSON(Output(endpoint: endpoint.path, count: count, hex: collected))
        } else if !raw {
            stdout.write(Data("\n".utf8))
        }
    }
}
