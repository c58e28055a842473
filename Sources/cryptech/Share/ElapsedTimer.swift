#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Shows what a long operation is doing and for how long, on one line of the terminal
/// (stderr), updated twice a second, with the longest wait for a board's reply
/// (``WaitReporter``) on the same line; silent when stderr is not a terminal.
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
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let text = state.withLock { $0.text }
        let wait = WaitReporter.shared.currentText().map { "; " + $0 } ?? ""
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(String(format: "%6.1f", seconds))s] \(text)\(wait)".utf8))
    }
}
