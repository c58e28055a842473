#if canImport(Glibc)
import Glibc
#endif

/// A failure of the link to a board: what went wrong, on which endpoint, and why.
///
/// Shaped like NIO's `FileSystemError`: a ``Code`` to switch on, the endpoint it concerns
/// (a device path or socket path), a human message, and the underlying errno when there is one.
public struct TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure, for a caller to switch on: after `lost` the link must be reopened;
    /// after `timeout` it is still usable.
    public enum Code: Hashable, Sendable {
        /// The device or socket path does not exist.
        case notFound
        /// The process may not open the device (see the udev rules in `udev/`).
        case permissionDenied
        /// Another process holds the device exclusively.
        case busy
        /// The device is not a tty, or refused a setting.
        case unsupported
        /// The link was closed by this side; no further frames will come.
        case closed
        /// The peer went away: device unplugged, emulator exited, socket closed by the muxd.
        case lost
        /// Nothing arrived within the read timeout.
        case timeout
        /// Any other I/O failure.
        case io
        /// Invalid configuration (speed, path, a trusted-user setting).
        case invalidArgument
        /// The process serving a Unix socket is not one this client trusts (``PeerTrust``):
        /// the link was refused before anything was sent; ``TransportError/peer`` says who it is.
        case untrustedPeer
        /// More arrived than the link holds unreceived (a peer sending past every
        /// back-pressure, ``FrameLink``): the link was ended rather than grow without bound.
        case overflow
    }

    /// What kind of failure.
    public var code: Code
    /// The device path, socket path or other name of the link.
    public var endpoint: String
    /// What went wrong, for a person: the call and errno text, or what was seen.
    public var message: String
    /// The C `errno` value behind the failure, if any.
    public var errno: Int32?
    /// Who served the socket, for ``Code/untrustedPeer``.
    public var peer: PeerCredentials?

    /// - Parameters:
    ///   - code: what kind of failure.
    ///   - endpoint: the device path, socket path or other name of the link.
    ///   - message: what went wrong, for a person.
    ///   - errno: the C `errno` behind it, if any.
    ///   - peer: who served the socket, for `untrustedPeer`.
    public init(_ code: Code, endpoint: String, _ message: String, errno: Int32? = nil, peer: PeerCredentials? = nil) {
        self.code = code
        self.endpoint = endpoint
        self.message = message
        self.errno = errno
        self.peer = peer
    }

    /// Maps a failed system call on `endpoint` to an error with the errno text.
    public static func system(_ call: String, errno value: Int32, endpoint: String) -> TransportError {
        let text = String(cString: strerror(value))
        switch value {
        case ENOENT, ENODEV, ENXIO:
            return TransportError(.notFound, endpoint: endpoint, "\(call): \(text)", errno: value)
        case EACCES, EPERM:
            return TransportError(
                .permissionDenied, endpoint: endpoint,
                "\(call): \(text) (is the user in the group the udev rules in udev/ grant?)", errno: value)
        case EBUSY, EWOULDBLOCK:
            return TransportError(.busy, endpoint: endpoint, "\(call): \(text): in use by another process", errno: value)
        case ENOTTY, EINVAL:
            return TransportError(.unsupported, endpoint: endpoint, "\(call): \(text)", errno: value)
        default:
            return TransportError(.io, endpoint: endpoint, "\(call): \(text)", errno: value)
        }
    }

    /// `endpoint: message`, the one line a user sees.
    public var description: String { "\(endpoint): \(message)" }
}
