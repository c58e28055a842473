/// An open, framed link to a board (or to the muxd, or to a software Alpha): frames out,
/// frames in. The RPC client never knows which kind it has.
///
/// One consumer receives; any number of tasks may send (each frame leaves whole, never
/// interleaved with another).
public protocol FrameLink: Sendable {
    /// What the link is connected to, for messages: a device path, a socket path.
    var endpoint: String { get }

    /// Sends one frame (one RPC message; framing is the link's business).
    /// - Throws: ``TransportError`` (`closed`, `lost`, `io`).
    func send(_ frame: [UInt8]) async throws

    /// Sends several frames in one write, in order. Used to coalesce traffic (the muxd).
    func send(frames: [[UInt8]]) async throws

    /// Waits for the next frame.
    /// - Parameter timeout: how long to wait; `nil` waits until a frame comes or the link ends.
    /// - Throws: ``TransportError`` with code `timeout` when nothing came in time (the link
    ///   stays usable), `closed` after ``close()``, `lost` when the peer went away;
    ///   `CancellationError` when the waiting task is cancelled.
    func receive(timeout: Duration?) async throws -> [UInt8]

    /// Closes the link. Pending and later `receive` calls fail with `closed`. Idempotent.
    func close() async
}

extension FrameLink {
    /// Received frames as an async sequence, for a single consumer. The sequence ends
    /// normally after ``close()`` and throws ``TransportError`` (`lost`) when the peer goes away.
    public var frames: FrameSequence { FrameSequence(link: self) }
}

/// The frames of a ``FrameLink``, in arrival order.
public struct FrameSequence: AsyncSequence, Sendable {
    /// One frame's payload, unescaped.
    public typealias Element = [UInt8]
    let link: any FrameLink

    /// Receives from the link with no timeout; one iterator per link, since a link has one consumer.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let link: any FrameLink

        /// The next frame, or `nil` once the link was closed by this side.
        /// - Throws: ``TransportError`` `lost` when the peer went away.
        public mutating func next() async throws -> [UInt8]? {
            do {
                return try await link.receive(timeout: nil)
            } catch let error as TransportError where error.code == .closed {
                return nil
            }
        }
    }

    /// An iterator over the link's frames.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(link: link) }
}
