import ArgumentParser
import CryptechTransport
import Foundation
import HalRPC

/// Where the board is: `--socket` (the muxd, the default) or `--device`/`--speed` (a direct
/// serial link), falling back to libhal's environment variables. Shared by every subcommand
/// that talks to a board.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The muxd's RPC socket (default: $CRYPTECH_RPC_CLIENT_SOCKET_NAME, else /tmp/.cryptech_muxd.rpc). "
            + "The daemon behind it must run as root, as you, as the cryptech account, or as $CRYPTECH_MUXD_UID.",
        valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("Talk to the board directly on this serial device instead of through the muxd.", valueName: "path"))
    var device: String?

    @Option(help: ArgumentHelp(
        "Line speed of a direct serial link (default: $CRYPTECH_RPC_CLIENT_SERIAL_SPEED, else 921600). "
            + "Alone it selects a direct link on $CRYPTECH_RPC_CLIENT_SERIAL_DEVICE (else /dev/ttyUSB0).",
        valueName: "bps"))
    var speed: Int?

    @OptionGroup var wait: WaitOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try endpoint()
    }

    /// The endpoint these options and the environment name.
    func endpoint() throws -> HSMEndpoint {
        do {
            return try HSMEndpoint.resolve(socket: socket, device: device, speed: speed, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Opens a client, runs `body` with it and closes it. A failure becomes one line on stderr
    /// naming the endpoint, and its exit status (see ``DeviceFailure``).
    func withClient<T>(_ body: (HSMClient, HSMEndpoint) async throws -> T) async throws -> T {
        let endpoint = try endpoint()
        let client = wait.client(endpoint, board: endpoint.path, logging: logging)
        do {
            let result = try await body(client, endpoint)
            await client.close()
            return result
        } catch let error as HSMClientError {
            await client.close()
            throw DeviceFailure(error, endpoint: endpoint).report()
        } catch {
            await client.close()
            throw error
        }
    }
}
