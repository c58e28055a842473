#if canImport(Glibc)
import Glibc
#endif
import CryptechTransport
import Foundation
import HalRPC

/// One board of the target: a letter and where it is.
struct HILBoard: Sendable {
    let name: String
    let endpoint: HSMEndpoint
}

/// What the suite runs against, and its clients: one logged-in client per board, shared by
/// the tests (a tty has one user at a time), and new connections where a muxd is in front.
actor HILTarget {
    enum Kind: String, Sendable, CustomStringConvertible {
        case software, hardware
        var description: String { rawValue }
    }

    nonisolated let kind: Kind
    nonisolated let boards: [HILBoard]
    nonisolated let pin: PIN
    /// The links lose or damage replies on purpose (see ``LossyLinks``).
    nonisolated let lossyLinks: Bool
    private var clients: [Int: HSMClient] = [:]

    init(kind: Kind, boards: [HILBoard], pin: PIN, lossyLinks: Bool = false) {
        self.kind = kind
        self.boards = boards
        self.pin = pin
        self.lossyLinks = lossyLinks
    }

    /// Why `endpoint` cannot be a board, if it cannot: a missing path, or the wrong kind of file.
    nonisolated static func problem(with endpoint: HSMEndpoint) -> String? {
        var status = stat()
        switch endpoint {
        case .serial(let path, _):
            guard stat(path, &status) == 0 else {
                return "no serial device at \(path): \(String(cString: strerror(errno))) (is the board plugged in? 'cryptech devices' lists them)"
            }
            guard status.st_mode & S_IFMT == S_IFCHR else { return "\(path) is not a serial device" }
        case .muxd(let path):
            guard stat(path, &status) == 0 else {
                return "no muxd socket at \(path): \(String(cString: strerror(errno))) (is cryptech-muxd running?)"
            }
            guard status.st_mode & S_IFMT == S_IFSOCK else { return "\(path) is not a socket" }
        }
        return nil
    }

    /// Board `index`'s shared client, logged in as the user. The first one waits until the
    /// board answers (see `HSMClient.waitUntilAnswering`).
    func client(_ index: Int) async throws -> HSMClient {
        if let client = clients[index] { return client }
        let client = HSMClient(endpoint: boards[index].endpoint)
        do {
            _ = try await client.waitUntilAnswering()
            try await client.login(user: .normal, pin: pin)
        } catch {
            await client.close()
            throw error
        }
        clients[index] = client
        return client
    }

    /// A connection of its own to board `index`, not logged in; only through a muxd.
    nonisolated func newConnection(_ index: Int) -> HSMClient? {
        guard case .muxd = boards[index].endpoint else { return nil }
        return HSMClient(endpoint: boards[index].endpoint)
    }

    /// Closes board `index`'s shared client; on a serial port, waits until the port is free
    /// for another user (its lock goes with the last descriptor, closed just after the link).
    func release(_ index: Int) async {
        if let client = clients.removeValue(forKey: index) { await client.close() }
        guard case .serial(let path, _) = boards[index].endpoint else { return }
        for _ in 0..<1000 {
            let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 {
                let free = flock(fd, LOCK_EX | LOCK_NB) == 0
                close(fd)
                if free { return }
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    func closeAll() async {
        for (_, client) in clients { await client.close() }
        clients = [:]
    }
}
