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
    /// 0: done as asked; for `hashsig verify`, the signature is valid.
    case success = 0
    /// 1: the operation ran and failed: an invalid signature, a refusal such as a wrong PIN, a
    /// failed test.
    case failed = 1
    /// 2: an input cannot be used (unreadable, empty, too large, malformed), or the ledger is
    /// damaged.
    case badInput = 2
    /// 3: no board to talk to: none attached, a device or socket missing or refusing, a link that
    /// failed.
    case unreachable = 3
    /// 4: a board did not reply in time; what it did with the request is unknown.
    case timeout = 4
    /// 5: a board's reply did not follow the RPC protocol (a layout that does not parse, an
    /// answer to another request).
    case protocolViolation = 5
    /// 6: fewer one-time keys are left than the thresholds, and the caller did not pass
    /// `--acknowledge-low`.
    case lowCapacity = 6
    /// 7: a board or a signature contradicts the share ledger, so a one-time key may be in use
    /// twice; a person must look.
    case alarm = 7
    /// 64 (`EX_USAGE`): an unknown, missing or bad option or argument; nothing was done.
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
