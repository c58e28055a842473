/// How the muxd limits PIN guessing on a board (design.md, "Clients of one board").
///
/// The board judges each LOGIN for one client word at a time, and the stock firmware never
/// locks out: through a muxd, thousands of connections could each guess in parallel. So the
/// muxd sends a board one LOGIN at a time, and after a wrong PIN holds every further LOGIN to
/// that board back: ``initial`` after the first failure, twice as long after each further
/// one in a row, at most ``maximum``; a correct PIN ends the back-off. Held LOGINs go in
/// the order they arrived.
public struct LoginBackoff: Sendable, Hashable {
    /// The wait after one wrong PIN.
    public var initial: Duration
    /// The longest wait, however many wrong PINs in a row. Keep it below the clients' LOGIN
    /// timeout (HalRPC: 60 s), or a held client gives up.
    public var maximum: Duration

    /// No back-off and no serialising (the reference daemon's behaviour).
    public static let off = LoginBackoff(initial: .zero, maximum: .zero)

    /// - Parameters:
    ///   - initial: the wait after one wrong PIN; `.zero` turns the back-off off.
    ///   - maximum: the longest wait; raised to `initial` if below it.
    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// Whether LOGINs are passed on at once and side by side, as the reference daemon does.
    public var isOff: Bool { initial == .zero }

    /// The wait after `failures` wrong PINs in a row (at least 1).
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(1, failures) where delay < maximum { delay *= 2 }
        return min(delay, maximum)
    }
}

extension LoginBackoff {
    /// Parses `SECONDS` or `SECONDS:MAX` (`--login-backoff`); `0` turns the back-off off.
    /// - Throws: ``MuxdError/configuration(_:)`` naming the bad part.
    public init(parsing text: String) throws(MuxdError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
        guard (1...2).contains(parts.count), let initial = parts[0], initial >= 0, initial.isFinite,
              parts.count == 1 || (parts[1].map { $0 >= initial && $0.isFinite } ?? false) else {
            throw .configuration("login back-off '\(text)': expected SECONDS or SECONDS:MAX, MAX not below SECONDS")
        }
        guard initial > 0 else {
            self = .off
            return
        }
        let maximum = parts.count == 2 ? parts[1]! : max(initial, 30)
        self.init(initial: .milliseconds(Int64(initial * 1000)), maximum: .milliseconds(Int64(maximum * 1000)))
    }
}
