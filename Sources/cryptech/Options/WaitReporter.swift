#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HalRPC
import Synchronization

/// Makes every wait for a board's reply that lasts longer than ``threshold`` visible on
/// stderr: "waiting for board A: PKEY_EXPORT, 12 s (deadline 600 s)".
///
/// On a terminal one line is redrawn every second and cleared when the reply comes (or,
/// while an ``ElapsedTimer`` shows an operation, appended to its line). Otherwise (a log, a
/// pipe, CI) a line is written when a wait passes the threshold and then every
/// ``logInterval``: enough to show that the command is alive and what it waits for, without
/// a line per second in a log.
final class WaitReporter: Sendable {
    /// The one reporter of this process: every client of a command reports here.
    static let shared = WaitReporter()

    /// Waits shorter than this are not shown.
    static let threshold = Duration.seconds(2)
    /// How often a wait is written again when stderr is not a terminal.
    static let logInterval = Duration.seconds(30)

    private struct Wait {
        let board: String
        let function: FunctionNumber
        let deadline: Duration
        let attempt: Int
        let start: ContinuousClock.Instant
        /// When the wait was last written as a line (not on a terminal).
        var written: ContinuousClock.Instant?
    }

    private struct State {
        var waits: [String: Wait] = [:]
        var ticking = false
        /// Whether a wait line is on the terminal now.
        var drawn = false
        /// ``ElapsedTimer``s showing now: they show the wait on their line.
        var timers = 0
    }

    private let state = Mutex(State())
    private let isTerminal = isatty(2) == 1

    /// The observer to give the client of `board` (a ledger name or a device path).
    func observer(board: String) -> @Sendable (WaitEvent) -> Void {
        { [self] event in
            switch event {
            case let .began(call, function, deadline, attempt):
                let wait = Wait(board: board, function: function, deadline: deadline, attempt: attempt, start: .now)
                let start = state.withLock { state in
                    state.waits["\(board)#\(call)"] = wait
                    defer { state.ticking = true }
                    return !state.ticking
                }
                if start { Thread.detachNewThread { [self] in tick() } }
            case let .ended(call):
                let clear = state.withLock { state in
                    state.waits["\(board)#\(call)"] = nil
                    defer { if state.waits.isEmpty { state.drawn = false } }
                    return state.waits.isEmpty && state.drawn
                }
                if clear { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            }
        }
    }

    /// The longest wait past the threshold, as text, or `nil`.
    func currentText(now: ContinuousClock.Instant = .now) -> String? {
        state.withLock { state in
            state.waits.values.filter { now - $0.start >= Self.threshold }.min { $0.start < $1.start }.map { Self.text($0, now: now) }
        }
    }

    /// An ``ElapsedTimer`` starts or stops drawing its line.
    func timerShowing(_ showing: Bool) {
        state.withLock { $0.timers += showing ? 1 : -1 }
    }

    private static func text(_ wait: Wait, now: ContinuousClock.Instant) -> String {
        let elapsed = (now - wait.start).components.seconds
        let attempt = wait.attempt > 1 ? " (attempt \(wait.attempt))" : ""
        return "waiting for board \(wait.board): \(wait.function)\(attempt), \(elapsed) s (deadline \(seconds(wait.deadline)) s)"
    }

    private static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// Runs on its own thread for the rest of the process: a wait can outlast any task.
    private func tick() {
        while true {
            usleep(250_000)
            let now = ContinuousClock.now
            let output: String? = state.withLock { state in
                if isTerminal {
                    guard state.timers == 0, let wait = state.waits.values.filter({ now - $0.start >= Self.threshold })
                        .min(by: { $0.start < $1.start }) else { return nil }
                    state.drawn = true
                    return "\r\u{1B}[K" + Self.text(wait, now: now)
                }
                var lines: [String] = []
                for (key, wait) in state.waits where now - wait.start >= Self.threshold {
                    guard wait.written.map({ now - $0 >= Self.logInterval }) ?? true else { continue }
                    state.waits[key]?.written = now
                    lines.append("cryptech: " + Self.text(wait, now: now) + "\n")
                }
                return lines.isEmpty ? nil : lines.joined()
            }
            if let output { FileHandle.standardError.write(Data(output.utf8)) }
        }
    }
}
