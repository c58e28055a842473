import CryptechTransport
import HalRPC
import HashSigHost
import Synchronization

/// A ``Connector`` to a real board whose link flips one bit of the first reply `choose` picks,
/// as a noisy line does (the protocol has no checksum): a deterministic stand-in for
/// `--fault corrupt=…`.
final class DamagingConnector: Connector {
    let inner: any Connector
    var endpoint: String { inner.endpoint }
    /// The byte to damage in a reply, or `nil` to pass it on whole.
    private let choose: @Sendable ([UInt8]) -> Int?
    private let damagedCount = Mutex(0)

    /// - Parameters:
    ///   - inner: the real link's connector.
    ///   - choose: which byte of a reply to flip bit 0 of, or `nil` to leave it.
    init(_ inner: any Connector, choose: @escaping @Sendable ([UInt8]) -> Int?) {
        self.inner = inner
        self.choose = choose
    }

    func open() async throws -> any FrameLink { DamagingLink(inner: try await inner.open(), connector: self) }

    /// How many replies were damaged so far (0 or 1).
    var damaged: Int { damagedCount.withLock { $0 } }

    fileprivate func pass(_ frame: [UInt8]) -> [UInt8] {
        guard let offset = choose(frame), frame.indices.contains(offset) else { return frame }
        let first = damagedCount.withLock { count -> Bool in
            guard count == 0 else { return false }
            count = 1
            return true
        }
        guard first else { return frame }
        var frame = frame
        frame[offset] ^= 0x01
        return frame
    }

    /// A reply's function number, from its first word.
    static func function(of frame: [UInt8]) -> UInt32? {
        guard frame.count >= 4 else { return nil }
        return frame[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

private struct DamagingLink: FrameLink {
    let inner: any FrameLink
    let connector: DamagingConnector
    var endpoint: String { inner.endpoint }
    func send(_ frame: [UInt8]) async throws { try await inner.send(frame) }
    func send(frames: [[UInt8]]) async throws { try await inner.send(frames: frames) }
    func receive(timeout: Duration?) async throws -> [UInt8] { connector.pass(try await inner.receive(timeout: timeout)) }
    func close() async { await inner.close() }
}

extension EmulatorBoard {
    /// Runs `body` with a logged-in link of its own to this board through a ``DamagingConnector``
    /// that flips bit 0 of the byte `choose` picks in the first reply it picks; the board's own
    /// client lets go of the tty meanwhile and takes it back afterwards, however `body` ends.
    func withDamagingLink<T>(_ choose: @escaping @Sendable ([UInt8]) -> Int?,
                             _ body: (BoardLink, DamagingConnector) async throws -> T) async throws -> T {
        await release()
        let connector = DamagingConnector(SerialConnector(path: ttyPath), choose: choose)
        let client = HSMClient(connector: connector, checksReplyClient: true)
        func restore() async throws {
            await client.close()
            await release()  // waits until the tty is free again
            try await reacquire()
        }
        do {
            try await client.login(user: .normal, pin: Self.pin)
            let result = try await body(BoardLink(name: name, client: client), connector)
            try await restore()
            return result
        } catch {
            try await restore()
            throw error
        }
    }
}
