#if canImport(Glibc)
import Glibc
#endif
import CryptechTransport
import Foundation
import HalRPC
import Logging
import Synchronization

/// The board's console UART on a second pty, running a ``ConsoleSession`` on its own thread.
/// Output nobody reads is dropped once the pty buffer is full, as the muxd drops console
/// output with nobody attached (docs/wire-protocol.md §11.5).
final class ConsolePort: Sendable {
    let path: String
    private let pty: PseudoTerminal
    private let users: UserDirectory
    private let pinChecks: PINCheckGate
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)
    private let running = Mutex(false)

    /// - Parameter pinChecks: the board's gate, shared with LOGIN, so the console is no way
    ///   around the pause after a wrong PIN.
    init(users: UserDirectory, pinChecks: PINCheckGate, logger: Logger) throws {
        pty = try PseudoTerminal()
        path = pty.slavePath
        self.users = users
        self.pinChecks = pinChecks
        self.logger = logger
    }

    func start() {
        running.withLock { $0 = true }
        Thread.detachNewThread { [self] in
            run()
            stopped.signal()
        }
    }

    func stop() {
        stopRequested.store(true, ordering: .releasing)
        let wasRunning = running.withLock { running in
            defer { running = false }
            return running
        }
        if wasRunning { stopped.wait() }
        pty.close()
    }

    private func run() {
        var session = ConsoleSession()
        write(session.banner())
        var buffer = [UInt8](repeating: 0, count: 1024)
        var fds = [pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0)]
        while !stopRequested.load(ordering: .acquiring) {
            fds[0].revents = 0
            // Wake up now and then to notice stop().
            guard poll(&fds, 1, 100) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(pty.master, $0.baseAddress, $0.count) }
            if count <= 0 {
                if count < 0, errno != EAGAIN, errno != EINTR { usleep(10_000) }
                continue
            }
            let output = session.receive(Array(buffer[0..<count])) { user, pin in
                pinChecks.check {
                    let correct = (try? users.verify(pin, for: user)) ?? false
                    return (correct, correct ? .correct : .wrong(user, caller: "console"))
                }
            }
            write(output)
        }
    }

    private func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        _ = bytes.withUnsafeBytes { Glibc.write(pty.master, $0.baseAddress, $0.count) }
    }
}
