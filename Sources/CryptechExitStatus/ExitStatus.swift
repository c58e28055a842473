import ArgumentParser

/// The exit statuses of every executable of this package (`cryptech` and its subcommands,
/// `cryptech-muxd`, `cryptech-emulator`, `cryptech-hil`, `cryptech-demo`, `cryptech-bench`):
/// one meaning per number, so that a script can tell outcomes apart the same way whichever
/// command it runs. The README's table and every `--help` are made from this type.
///
/// Usage is 64 because that is what ArgumentParser exits with for every parse and validation
/// error (`EX_USAGE`); the commands' own usage errors are `ValidationError`s, so they end the
/// same way, with the same message shape.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    case failed = 1
    case badInput = 2
    case unreachable = 3
    case timeout = 4
    case protocolViolation = 5
    case lowCapacity = 6
    case alarm = 7
    case usage = 64

    /// What the status means, for people (one line of `--help`).
    public var meaning: String {
        switch self {
        case .success: "success (hashsig verify: the signature is valid)"
        case .failed: "the operation failed (an invalid signature, a refusal such as a wrong PIN, a failed test)"
        case .badInput: "an input cannot be used: unreadable, empty, too large or malformed; a damaged ledger"
        case .unreachable: "no board: none attached, a device or socket missing or refusing, a failed link"
        case .timeout: "a board did not reply in time"
        case .protocolViolation: "a board's reply did not follow the RPC protocol"
        case .lowCapacity: "low capacity: fewer one-time keys left than the thresholds (without --acknowledge-low)"
        case .alarm: "an alarm: a board or signature contradicts the share ledger"
        case .usage: "usage error: an unknown, missing or bad option or argument (EX_USAGE)"
        }
    }

    /// The `--help` paragraph for a command that can end with `statuses`.
    public static func help(_ statuses: ExitStatus...) -> String { help(statuses) }

    /// The whole table, for the top-level commands' `--help`.
    public static var table: String { help(allCases) }

    private static func help(_ statuses: [ExitStatus]) -> String {
        "Exit status (the same numbers for every cryptech executable):\n" + statuses.map { status in
            let number = String(status.rawValue)
            return "  " + number + String(repeating: " ", count: max(1, 4 - number.count)) + status.meaning
        }.joined(separator: "\n")
    }
}

extension ExitCode {
    /// The exit code that ends a command with `status`.
    public init(_ status: ExitStatus) { self.init(status.rawValue) }
}
