import ArgumentParser
import HalRPC
import Logging

/// `--timeout`, for every command that talks to a board, and the clients it makes: each
/// reports its waits (``WaitReporter``).
struct WaitOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Seconds to wait for each reply from a board, instead of the deadline derived from the operation "
            + "(its key's parameters, and what the board has been measured to take).",
        valueName: "seconds"))
    var timeout: Double?

    func validate() throws {
        if let timeout, !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    /// The deadline the user asked for, if any.
    var replyTimeout: Duration? { timeout.map { .milliseconds(Int64($0 * 1000)) } }

    /// A client for `endpoint`, named `board` in wait lines and log lines.
    func client(_ endpoint: HSMEndpoint, board: String, logging: LoggingOptions) -> HSMClient {
        var logger = logging.logger("cryptech.halrpc")
        logger[metadataKey: "board"] = .string(board)
        return HSMClient(endpoint: endpoint, timeout: replyTimeout, observer: WaitReporter.shared.observer(board: board), logger: logger)
    }
}
