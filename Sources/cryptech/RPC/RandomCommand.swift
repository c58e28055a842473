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

    @Argument(help: "How many bytes.")
    var count: Int

    @Flag(help: "Write the raw bytes to standard output instead of hex.")
    var raw = false

    func validate() throws {
        guard count >= 0 else { throw ValidationError("the byte count must not be negative") }
    }

    func run() async throws {
        let output = FileHandle.standardOutput
        try await connection.withClient { client, _ in
            var left = count
            // One GET_RANDOM carries at most 16368 bytes; larger counts take several.
            while left > 0 {
                let chunk = try await client.getRandom(count: min(left, RPC.GetRandom.maximumCount))
                left -= chunk.count
                output.write(raw ? Data(chunk) : Data(Hex.encode(chunk).utf8))
            }
        }
        if !raw { output.write(Data("\n".utf8)) }
    }
}
