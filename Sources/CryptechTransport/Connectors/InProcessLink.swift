/// Two ``FrameLink``s joined back to back in memory: what one sends, the other receives.
/// For unit tests of everything above the transport; no bytes, no framing, no I/O.
public final class InProcessLink: FrameLink {
    /// The name given to ``pair(endpoint:)``, shared by both sides.
    public let endpoint: String
    private let inbox: FrameInbox
    private let peer: FrameInbox

    private init(endpoint: String, inbox: FrameInbox, peer: FrameInbox) {
        self.endpoint = endpoint
        self.inbox = inbox
        self.peer = peer
    }

    /// Returns a connected pair (host side, board side).
    public static func pair(endpoint: String = "in-process") -> (InProcessLink, InProcessLink) {
        let a = FrameInbox(endpoint: endpoint)
        let b = FrameInbox(endpoint: endpoint)
        return (InProcessLink(endpoint: endpoint, inbox: a, peer: b), InProcessLink(endpoint: endpoint, inbox: b, peer: a))
    }

    /// Hands `frame` to the other side's inbox at once.
    /// - Throws: ``TransportError`` `closed` when either side has closed.
    public func send(_ frame: [UInt8]) async throws {
        guard !inbox.isFinished, !peer.isFinished else {
            throw TransportError(.closed, endpoint: endpoint, "link is closed")
        }
        peer.deliver(frame)
    }

    /// Hands the frames over one at a time, in order.
    /// - Throws: ``TransportError`` `closed` when either side has closed.
    public func send(frames: [[UInt8]]) async throws {
        for frame in frames { try await send(frame) }
    }

    /// Waits for the next frame the other side sent.
    /// - Parameter timeout: how long to wait; `nil` waits until a frame comes or the link ends.
    /// - Throws: ``TransportError`` `timeout`, `closed`, or `lost` once the other side closed.
    public func receive(timeout: Duration?) async throws -> [UInt8] {
        try await inbox.receive(timeout: timeout)
    }

    /// Closes this side; the other side sees the link `lost`.
    public func close() async {
        inbox.finish(TransportError(.closed, endpoint: endpoint, "link closed"))
        peer.finish(TransportError(.lost, endpoint: endpoint, "peer closed the link"))
    }
}
