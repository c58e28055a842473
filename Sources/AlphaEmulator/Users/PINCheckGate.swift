import Dispatch
import Foundation
import HalRPC
import Logging
import Synchronization

/// What a PIN check found, for ``PINCheckGate``'s back-off.
enum PINCheckOutcome: Sendable, Equatable {
    /// No PIN was compared (malformed arguments): the back-off stays as it is.
    case notChecked
    /// The PIN was right: the back-off starts over.
    case correct
    /// The PIN was wrong for `user`; `caller` names who sent it in the log line (a client
    /// word, or the console).
    case wrong(User, caller: String)
}

/// Every PIN check of the board, one at a time, with a pause after a wrong PIN that holds
/// back every further check, whichever client (or the console) it comes from.
///
/// Why per board and not per client: the board knows callers only by their client word, and
/// a guesser can use as many client words as it likes, so a pause that holds back only the
/// guessing client's reply lets 2,000 client words guess in parallel (issue 13, item 2). The
/// reference firmware gets the same limit from its single worker sleeping 5 s after a wrong
/// PIN (docs/wire-protocol.md §6, §13.22), at the price of stalling every request; here only PIN checks
/// wait, and other requests are served meanwhile.
///
/// The pause is `--wrong-pin-delay` after the first wrong PIN; with
/// ``FirmwareBehaviour/pinBackOffDoubles`` it doubles with each consecutive wrong PIN, up to
/// ``maximumFactor`` times the first, until a correct PIN resets it (the reference: always
/// the same pause). The wrong PIN's own answer leaves after its pause, as the board's does,
/// so a lone guesser learns nothing sooner either. A first delay of 0 means no pause at all.
///
/// Checks run on one serial queue, whose single thread sleeps through a pause: requests wait
/// in order without holding any other thread.
final class PINCheckGate: Sendable {
    /// The longest pause, as a multiple of the first.
    static let maximumFactor = 64

    private let queue = DispatchQueue(label: "cryptech.emulator.pin-checks")
    /// Consecutive wrong PINs; touched only on `queue`.
    private let consecutiveWrongPINs = Mutex(0)
    private let firstPause: Duration
    private let doubles: Bool
    private let logger: Logger

    /// - Parameters:
    ///   - firstPause: the pause after one wrong PIN (`--wrong-pin-delay`).
    ///   - doubles: ``FirmwareBehaviour/pinBackOffDoubles``.
    init(firstPause: Duration, doubles: Bool, logger: Logger) {
        self.firstPause = firstPause
        self.doubles = doubles
        self.logger = logger
    }

    /// The pause after `count` consecutive wrong PINs (`count` ≥ 1).
    static func pause(afterWrongPINs count: Int, first: Duration, doubles: Bool) -> Duration {
        guard doubles else { return first }
        let doublings = min(max(count - 1, 0), maximumFactor.trailingZeroBitCount)
        return first * (1 << doublings)
    }

    /// Runs `check` after every check submitted before it has finished (its pause included),
    /// then hands its result to `deliver`, on the gate's thread. Returns at once.
    func submit<Result: Sendable>(
        _ check: @escaping @Sendable () -> (result: Result, outcome: PINCheckOutcome),
        then deliver: @escaping @Sendable (Result) -> Void
    ) {
        queue.async { [self] in deliver(run(check)) }
    }

    /// Runs `check` in turn with every other check and returns its result, waiting for the
    /// turn and for the pause a wrong PIN imposes (the console, which has a thread of its own).
    func check<Result>(_ check: () -> (result: Result, outcome: PINCheckOutcome)) -> Result {
        queue.sync { run(check) }
    }

    private func run<Result>(_ check: () -> (result: Result, outcome: PINCheckOutcome)) -> Result {
        let (result, outcome) = check()
        switch outcome {
        case .notChecked:
            break
        case .correct:
            consecutiveWrongPINs.withLock { $0 = 0 }
        case .wrong(let user, let caller):
            let count = consecutiveWrongPINs.withLock { count in
                count += 1
                return count
            }
            let pause = Self.pause(afterWrongPINs: count, first: firstPause, doubles: doubles)
            // Who and how often, never the PIN.
            logger.notice("wrong PIN; the next PIN check on this board, from any client, waits the pause", metadata: [
                "emulator.user": "\(user)", "rpc.client": "\(caller)",
                "emulator.wrong-pins": "\(count)", "emulator.pause": "\(pause)",
            ])
            if pause > .zero { Thread.sleep(forTimeInterval: pause.seconds) }
        }
        return result
    }
}
