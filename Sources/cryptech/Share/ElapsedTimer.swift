#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Shows what a long operation is doing and for how long, on one line of the terminal
/// (stderr), updated twice a second; silent when stderr is not a terminal.
final class ElapsedTimer: Sendable {
    private let state = Mutex<(text: String, running: Bool)>(("", true))
    private let start = ContinuousClock.now
    private let enabled = isatty(2) == 1

    init(_ text: String) {
        state.withLock { $0.text = text }
        guard enabled else { return }
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
        state.withLock { $0.running = false }
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func draw() {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let text = state.withLock { $0.text }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(String(format: "%6.1f", seconds))s] \(text)".utf8))
    }
}
