/// A way to reach a board: knows the endpoint, opens a ``FrameLink`` on demand, and can be
/// asked again after a link was lost (a client reopens lazily).
public protocol Connector: Sendable {
    /// What this connector reaches, for messages (a device path, a socket path).
    var endpoint: String { get }

    /// Opens a new link.
    /// - Throws: ``TransportError`` naming the endpoint.
    func open() async throws -> any FrameLink
}
