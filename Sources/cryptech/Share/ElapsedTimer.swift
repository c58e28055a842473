#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Shows what a long operation is doing and for how long, on one line of the terminal
/// (stderr), updated twice a second, with the longest wait for a board's reply
/// (``WaitReporter``) on the same line; silent when stderr is not a terminal.
///
/// ``lap(_:since:)`` leaves a line for good, on a terminal or not ("board A: import 12.3 s"):
/// how long each board took stays in the log after the live line is gone.
final class ElapsedTimer: Sendable {
    private let state = Mutex<(text: String, running: Bool)>(("", true))
    private let start = ContinuousClock.now
    private let enabled = isatty(2) == 1

    init(_ text: String) {
        state.withLock { $0.text = text }
        guard enabled else { return }
        WaitReporter.shared.timerShowing(true)
        Thread.detachNewThread { [self] in
            while state.withLock({ $0.running }) {
                draw()
                usleep(500_000)
            }
        }
    }

    /// Writes "`what` 12.3 s" on stderr as a line of its own (above the live line on a
    /// terminal, which is redrawn within half a second).
    func lap(_ what: String, since start: ContinuousClock.Instant) {
        let clear = enabled && state.withLock { $0.running } ? "\r\u{1B}[K" : ""
        FileHandle.standardError.write(Data("\(clear)\(what) \(Self.seconds(ContinuousClock.now - start)) s\n".utf8))
    }

    /// A duration in seconds with one decimal, as the lines show it.
    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.1f", value)
    }

    /// Changes the text after the time.
    func update(_ text: String) {
        state.withLock { $0.text = text }
    }

    /// Clears the line; later updates are ignored.
    func stop() {
        let wasRunning = state.withLock { state in
            defer { state.running = false }
            return state.running
        }
        guard enabled, wasRunning else { return }
        WaitReporter.shared.timerShowing(false)
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    private func draw() {
        let seconds = Self.seconds(ContinuousClock.now - start)
        let text = state.withLock { $0.text }
        let wait = WaitReporter.shared.currentText().map { "; " + $0 } ?? ""
        let padding = String(repeating: " ", count: max(0, 6 - seconds.count))
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(padding)\(seconds)s] \(text)\(wait)".utf8))
    }
}
