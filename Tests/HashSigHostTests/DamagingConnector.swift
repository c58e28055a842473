import CryptechTransport
import Synchronization

/// A ``Connector`` to a real board whose link flips one bit of chosen replies, as a noisy line
/// does (the protocol has no checksum): a deterministic stand-in for `--fault corrupt=…`.
final class DamagingConnector: Connector {
    let inner: any Connector
    var endpoint: String { inner.endpoint }
    /// The byte to damage in a reply, or `nil` to pass it on whole.
    private let choose: @Sendable ([UInt8]) -> Int?
    private let remaining: Mutex<Int>
    private let damagedCount = Atomic<Int>(0)

    /// - Parameters:
    ///   - inner: the real link's connector.
    ///   - times: how many replies to damage at most.
    ///   - choose: which byte of a reply to flip bit 0 of, or `nil` to leave it.
    init(_ inner: any Connector, times: Int = 1, choose: @escaping @Sendable ([UInt8]) -> Int?) {
        self.inner = inner
        self.choose = choose
        remaining = Mutex(times)
    }

    func open() async throws -> any FrameLink { DamagingLink(inner: try await inner.open(), connector: self) }

    /// How many replies were damaged so far.
    var damaged: Int { damagedCount.load(ordering: .relaxed) }

    fileprivate func pass(_ frame: [UInt8]) -> [UInt8] {
        guard let offset = choose(frame), frame.indices.contains(offset) else { return frame }
        let allowed = remaining.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        guard allowed else { return frame }
        damagedCount.add(1, ordering: .relaxed)
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
